import Foundation

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
        /// With `--probe-decode`: what the decoders made of the streams.
        package let probe: Probe?

        /// `--probe-decode`'s report.
        package struct Probe: Decodable {
            package let reference: String?
            package let snapshot: String?
            package let streams: [ProbedStream]
        }

        /// One stream as a decoder saw it.
        package struct ProbedStream: Decodable {
            package let index: Int
            package let codec: String
            package let packets: Int
            package let packetsRejected: Int
            package let framesDecoded: Int
            package let decoderErrors: Int
            package let framesCompared: Int
            package let psnr: Double?
        }

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
            package let unrecognizedFrames: Int
            package let keyIndices: [String: Int]
            package let keyRingSize: Int
            package let iv: IVLayout?
            package let bytes: Int
            package let overheadBytes: Int
            package let sframe: SFrame?
            package let packetTrailerFrames: Int
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
        /// With `--receiver`: each stream and what the SDK receivers show for it.
        package let receivers: [ReceiverStream]?

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

    /// `framecrypt doctor --json`.
    package struct Doctor: Decodable {
        package let file: String
        package let keysFit: Bool
        package let streams: [Stream]
        package let assumes: String
        package let sdks: [SDK]
        package let receivers: [ReceiverStream]

        /// One stream's diagnosis.
        package struct Stream: Decodable {
            package let index: Int
            package let kind: String
            package let codec: String
            package let participant: String?
            package let cause: String
            package let summary: String
            package let remedy: String?
            package let framesSampled: Int
            package let framesOpened: Int
            package let notes: [String]
            package let decodes: Decodes?
        }

        /// `--probe-decode`'s verdict for a stream.
        package struct Decodes: Decodable {
            package let framesDecoded: Int
            package let decoderErrors: Int
            package let verdict: String
        }

        /// Whether one SDK would decrypt the file.
        package struct SDK: Decodable {
            package let receiver: String
            package let decryptsAll: Bool
            package let stream: Int?
            package let frame: Int?
            package let reason: String?
            package let keyDifferences: [String]
        }
    }

    /// One stream as SDK receivers show it (`verify-keys --receiver`, `doctor`).
    package struct ReceiverStream: Decodable {
        package let index: Int
        package let kind: String
        package let codec: String
        package let participant: String?
        package let receivers: [ReceiverVerdict]
    }

    /// What one SDK's receiver shows for one stream.
    package struct ReceiverVerdict: Decodable, Equatable {
        package let receiver: String
        package let frames: Int
        package let states: [String: Int]
        package let videoSDKStates: [String: Int]?
        package let serverInjectedFrames: Int
        package let droppedUnread: Int
        package let firstFailure: FirstFailure?

        /// The first frame the receiver did not deliver.
        package struct FirstFailure: Decodable, Equatable {
            package let frame: Int
            package let state: String
            package let reason: String
        }
    }

    /// `framecrypt encrypt --json` and `decrypt --json`.
    package struct Processing: Decodable {
        package let operation: String
        package let input: String
        package let output: String
        package let format: String
        package let streams: [Stream]
        package let warnings: [String]
        package let bytesIn: Int64
        package let bytesOut: Int64
        package let seconds: Double
        /// `decrypt --receiver`: the SDK decrypted as.
        package let receiver: String?

        /// One stream's counts.
        package struct Stream: Decodable {
            package let index: Int
            package let type: String
            package let codec: String
            package let participant: String?
            package let action: String
            package let keyIndex: Int?
            package let ssrc: UInt32?
            package let rtpOffset: UInt32?
            package let frames: Int
            package let states: [String: Int]
            package let videoSDKStates: [String: Int]
            package let droppedFrames: Int
            package let keptEncryptedFrames: Int
            package let serverInjectedFrames: Int
            package let recoveredFrames: [String: Int]
            package let frameMetadata: [FrameMetadata]
            package let maxRatchetSteps: Int
            package let failures: [Failure]
            package let receiver: Receiver?
            package let corruptedFrames: Int?
            package let sframe: SFrame?
        }

        /// An SFrame stream's suite, KIDs and counters.
        package struct SFrame: Decodable {
            package let cipherSuite: String
            package let keyIDs: [UInt64]
            package let firstCounter: UInt64?
            package let lastCounter: UInt64?
            package let replayedFrames: Int
        }

        /// One frame's LiveKit packet-trailer values.
        package struct FrameMetadata: Decodable {
            package let frame: Int
            package let time: Double?
            package let userTimestamp: UInt64?
            package let frameId: UInt32?
        }

        /// A frame that failed, and why.
        package struct Failure: Decodable {
            package let frame: Int
            package let reason: String
        }

        /// What a scenario predicts a receiver reports: the native one, or the SDK `--receiver` names.
        package struct Receiver: Decodable {
            package let receiver: String?
            package let ratchetWindow: Int
            package let states: [String: Int]
            package let statesWithoutServerTrailer: [String: Int]?
        }
    }

    /// The file `framecrypt vectors export` writes (docs/FIXTURES.md).
    package struct ExportedVectors: Decodable {
        package let source: String
        package let keyFile: String?
        package let vectors: [Vector]

        /// One exported frame vector.
        package struct Vector: Decodable {
            package let id: String
            package let kind: String
            package let codec: String
            package let keyFrame: Bool
            package let keyIndex: Int?
            package let ssrc: UInt32?
            package let rtpTimestamp: UInt32?
            package let sendCount: UInt32?
            package let clearBytes: Int?
            package let receiverRatchetSteps: Int?
            package let ratchetStepsToDecrypt: Int?
            package let serverInjectedTrailerHex: String?
            package let recovery: String?
            package let kid: UInt64?
            package let ctr: UInt64?
            package let expectedState: String
            package let plaintextHex: String
            package let encryptedHex: String
            package let note: String
        }

        /// Decodes the vector file at `path`.
        package static func load(_ path: String) throws -> ExportedVectors {
            try JSONDecoder().decode(ExportedVectors.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }

    /// A batch's `--json` summary (docs/BATCH.md).
    package struct Batch: Decodable {
        package let operation: String
        package let shard: String?
        package let listed: Int
        package let jobs: Int
        package let succeeded: Int
        package let skipped: Int
        package let failed: Int
        package let results: [Job]

        /// One job's result.
        package struct Job: Decodable {
            package let input: String
            package let output: String?
            package let origin: String
            package let status: String
            package let exitStatus: Int32
            package let error: String?
            package let frames: Int
            package let bytesIn: Int64
            package let bytesOut: Int64
            package let findings: Int?
            package let keyStatus: [String]?
        }
    }

    /// `framecrypt vectors verify --json`.
    package struct VectorVerification: Decodable {
        package let file: String
        package let passed: Int
        package let failed: Int
        package let vectors: [Result]

        /// One vector's checks.
        package struct Result: Decodable {
            package let section: String
            package let id: String
            package let passed: Bool
            package let checks: [Check]
        }

        /// One check of a vector.
        package struct Check: Decodable {
            package let check: String
            package let passed: Bool
        }
    }

    /// `framecrypt keys show --json` and the summaries `keys generate` and `keys add` print.
    package struct KeySummary: Decodable {
        package let file: String
        package let scheme: String
        package let mode: String
        package let keyRingSize: Int
        package let keys: [Key]

        /// One key, by fingerprint only.
        package struct Key: Decodable {
            package let participant: String?
            package let index: Int
            package let kid: UInt64?
            package let fingerprint: String?
        }
    }
}
