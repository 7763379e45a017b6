import FrameCryptFormat

/// A value inside a JSON document together with its path (`vectors[3].key.hex`), so that every
/// accessor can fail with a one-line message naming the file and the field.
package struct JSONField {
    let value: JSONValue
    let path: String
    package let file: String

    /// The document's root.
    package init(root: JSONValue, file: String) {
        self.init(value: root, path: "", file: file)
    }

    private init(value: JSONValue, path: String, file: String) {
        self.value = value
        self.path = path
        self.file = file
    }

    /// A failure that names this field.
    package func error(_ problem: String) -> FrameCryptError {
        FrameCryptError(.malformedInput, "\(file): \(path.isEmpty ? "top level" : path): \(problem)")
    }

    /// The object's keys; throws unless this is an object.
    package func keys() throws(FrameCryptError) -> [String] {
        guard case .object(let members) = value else { throw error("expected an object, found \(value.typeName)") }
        return members.keys.sorted()
    }

    /// Throws, naming the first one, when this object has members outside `allowed`.
    package func rejectUnknownFields(allowed: Set<String>) throws(FrameCryptError) {
        if let unknown = try keys().first(where: { !allowed.contains($0) }) {
            throw error("unknown field \"\(unknown)\"")
        }
    }

    /// The member `key`, or nil when this object has none.
    package func optional(_ key: String) throws(FrameCryptError) -> JSONField? {
        guard case .object(let members) = value else { throw error("expected an object, found \(value.typeName)") }
        return members[key].map { JSONField(value: $0, path: path.isEmpty ? key : "\(path).\(key)", file: file) }
    }

    /// The member `key`; throws when it is missing.
    package func field(_ key: String) throws(FrameCryptError) -> JSONField {
        guard let member = try optional(key) else {
            throw error("missing field \"\(key)\"")
        }
        return member
    }

    /// The elements of an array.
    package func array() throws(FrameCryptError) -> [JSONField] {
        guard case .array(let elements) = value else { throw error("expected an array, found \(value.typeName)") }
        return elements.enumerated().map { JSONField(value: $1, path: "\(path)[\($0)]", file: file) }
    }

    package func string() throws(FrameCryptError) -> String {
        guard case .string(let text) = value else { throw error("expected a string, found \(value.typeName)") }
        return text
    }

    func bool() throws(FrameCryptError) -> Bool {
        guard case .bool(let flag) = value else { throw error("expected true or false, found \(value.typeName)") }
        return flag
    }

    /// An integer within `range`.
    package func integer(in range: ClosedRange<Int>) throws(FrameCryptError) -> Int {
        guard case .integer(let number) = value else { throw error("expected a whole number, found \(value.typeName)") }
        guard range.contains(number) else {
            throw error("\(number) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    /// A whole number from 0 to 2^64−1.
    package func unsigned64() throws(FrameCryptError) -> UInt64 {
        switch value {
        case .integer(let number) where number >= 0: return UInt64(number)
        case .largeInteger(let number): return number
        case .integer(let number): throw error("\(number) is negative")
        default: throw error("expected a whole number, found \(value.typeName)")
        }
    }

    /// The bytes of a hex string (empty allowed).
    func hexBytes() throws(FrameCryptError) -> [UInt8] {
        guard let bytes = ByteEncoding.bytes(hex: try string()) else { throw error("not valid hex") }
        return bytes
    }

    /// One of the raw values of `Choice`.
    func choice<Choice: RawRepresentable & CaseIterable>(_: Choice.Type) throws(FrameCryptError) -> Choice
    where Choice.RawValue == String {
        let text = try string()
        guard let choice = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw error("\"\(text)\" is not one of \(allowed)")
        }
        return choice
    }
}
