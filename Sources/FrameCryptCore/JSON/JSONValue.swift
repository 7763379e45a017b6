import Foundation

/// A parsed JSON document, kept generic so that input files can be checked field by field with
/// errors that name the exact path at fault.
package enum JSONValue: Codable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    /// A whole number above `Int.max` (SFrame KIDs and counters reach 2^64−1).
    case largeInteger(UInt64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .largeInteger(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Writes the value back as JSON (key files that `keys add` rewrites keep their other fields).
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .largeInteger(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Reads and parses the JSON file at `path`.
    ///
    /// - Throws: ``FrameCryptError`` `.inputMissing` when the file cannot be read, `.malformedInput`
    ///   when it is not JSON.
    package static func load(path: String) throws(FrameCryptError) -> JSONValue {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let missing = !FileManager.default.fileExists(atPath: path)
            throw FrameCryptError(.inputMissing, "\(path): \(missing ? "no such file" : "cannot be read")")
        }
        return try parse(data, source: path)
    }

    /// Parses a JSON document read from `source` (named in the error).
    ///
    /// - Throws: ``FrameCryptError`` `.malformedInput` when `data` is not JSON.
    static func parse(_ data: Data, source: String) throws(FrameCryptError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw FrameCryptError(.malformedInput, "\(source): not valid JSON")
        }
    }

    /// The JSON type's name, for error messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .largeInteger, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
