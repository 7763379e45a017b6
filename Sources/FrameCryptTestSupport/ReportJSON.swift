package import Foundation

/// The JSON reports as docs/FORMAT.md documents them, decoded into types: a test reads fields by
/// name and type, and a renamed or retyped field fails the decoding instead of reading as nil.
/// Written here, apart from the types that encode them, so that they check the documented shape.
package enum ReportJSON {
    /// Decodes `T` from a command's standard output.
    package static func decode<T: Decodable>(_ type: T.Type, from result: CommandResult) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(result.standardOutput.utf8))
        } catch {
            throw Failure(description: "\(T.self) from \(result.standardOutput.prefix(400)): \(error)")
        }
    }

    /// Why a report did not decode.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// `framecrypt inspect --json`.
    package struct Inspection: Decodable {
        package let file: String
        package let container: String
        package let streams: [Stream]
        package let findings: [Finding]
        /// With `--frames`: every frame examined.
        package let frames: [Frame]?

        /// One row of `--frames`.
        package struct Frame: Decodable {
            package let stream: Int
            package let frame: Int
            package let pts: Int64?
            package let size: Int
            package let keyFrame: Bool
            package let state: String
            package let clearBytes: Int
            package let keyIndex: Int?
            package let iv: String?
            package let kid: UInt64?
            package let ctr: UInt64?
        }

        /// One stream of an inspection.
        package struct Stream: Decodable {
            package let index: Int
            package let kind: String
            package let codec: String
            package let participant: String?
            package let scheme: String
            package let labelScheme: String?
            package let frames: Int
            package let encryptedFrames: Int
            package let clearFrames: Int
            package let sifFrames: Int
            package let keyIndices: [String: Int]
            package let keyRingSize: Int
            package let iv: IVLayout?
            package let bytes: Int
            package let overheadBytes: Int
            package let sframe: SFrame?
        }

        /// A FrameCryptor stream's IV layout.
        package struct IVLayout: Decodable {
            package let ssrcs: [String]
            package let rtpClockMismatches: Int
            package let sendCountStart: Int
            package let sendCountGaps: Int
        }

        /// An SFrame stream's suite and KIDs.
        package struct SFrame: Decodable {
            package let cipherSuite: String?
            package let keyIDs: [KeyIDUse]
        }

        /// One KID's frames and counter range.
        package struct KeyIDUse: Decodable {
            package let keyID: UInt64
            package let frames: Int
            package let firstCounter: UInt64
            package let lastCounter: UInt64
        }

        /// One finding.
        package struct Finding: Decodable {
            package let code: String
            package let stream: Int
            package let otherStream: Int?
            package let frames: [Int]
            package let frameCount: Int
            package let message: String
        }
    }

    /// `framecrypt verify-keys --json`.
    package struct KeyVerification: Decodable {
        package let ok: Bool
        package let file: String
        package let streams: [Stream]

        /// One stream's verdict.
        package struct Stream: Decodable {
            package let index: Int
            package let kind: String
            package let codec: String
            package let participant: String?
            package let status: String
            package let keyIndex: Int?
            package let ratchetSteps: Int
            package let framesChecked: Int
            package let framesFailed: Int
            package let keyFingerprint: String?
            package let keyIndices: [KeyIndex]
            package let authenticatesWith: String?
            package let message: String
        }

        /// One key index's (or KID's) verdict.
        package struct KeyIndex: Decodable {
            package let keyIndex: Int
            package let keyID: UInt64?
            package let status: String
            package let ratchetSteps: Int
            package let framesChecked: Int
            package let framesFailed: Int
            package let keyFingerprint: String?
        }
    }
}
