/// One check made on one vector (`encrypt`, `decrypt`, `clear bytes`, …).
package struct VectorCheck: Sendable, Hashable, Encodable {
    package let check: String
    package let passed: Bool
    /// Why it failed; nil when it passed.
    package let detail: String?

    init(_ check: String, failure: String?) {
        self.check = check
        passed = failure == nil
        detail = failure
    }
}

/// The checks made on one vector.
package struct VectorResult: Sendable, Hashable, Encodable {
    /// The file section the vector comes from (`vectors`, `kdf`, `ratchet_chain`, `frames`, `sif_sha256`).
    package let section: String
    package let id: String
    package let checks: [VectorCheck]

    package var passed: Bool {
        checks.allSatisfy(\.passed)
    }

    private enum CodingKeys: String, CodingKey {
        case section, id, passed, checks
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(section, forKey: .section)
        try container.encode(id, forKey: .id)
        try container.encode(passed, forKey: .passed)
        try container.encode(checks, forKey: .checks)
    }
}

/// The outcome of verifying a vector file.
package struct VectorReport: Sendable, Hashable, Encodable {
    package let file: String
    package let results: [VectorResult]

    package var passedCount: Int {
        results.count { $0.passed }
    }

    package var failedCount: Int {
        results.count - passedCount
    }

    private enum CodingKeys: String, CodingKey {
        case file, passed, failed, vectors
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(passedCount, forKey: .passed)
        try container.encode(failedCount, forKey: .failed)
        try container.encode(results, forKey: .vectors)
    }
}

/// Describes how `actual` differs from `expected`, or nil when they are equal. Only positions and
/// lengths are named, so it is safe for key bytes too.
func mismatch(_ actual: [UInt8], _ expected: [UInt8]) -> String? {
    guard actual != expected else { return nil }
    if let offset = zip(actual, expected).enumerated().first(where: { $1.0 != $1.1 })?.offset {
        return "differs at byte \(offset) of \(expected.count)"
    }
    return "is \(actual.count) bytes, expected \(expected.count)"
}
