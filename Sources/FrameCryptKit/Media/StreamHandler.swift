import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// What a job does with one input stream: the output stream it makes and what happens to each packet.
protocol StreamHandler: AnyObject {
    /// The output stream's parameters, tags and disposition.
    var output: OutputStreamSpec { get }
    /// Transforms `packet` in place.
    ///
    /// - Returns: false to leave the packet out of the output.
    /// - Throws: ``FrameCryptError`` when the job must stop (a frame failed under the fail policy).
    func handle(_ packet: inout Packet) throws(FrameCryptError) -> Bool
    /// The stream's counts so far.
    var report: StreamReport { get }
    /// True when ``handle(_:)`` replaces payloads, so the job gives each packet a spare buffer.
    var rewritesPayloads: Bool { get }
}

extension StreamHandler {
    var rewritesPayloads: Bool {
        false
    }
}

/// Copies a stream's packets unchanged: streams that are not audio or video, and streams a sender
/// without a key sent in clear.
final class CopyingStream: StreamHandler {
    let output: OutputStreamSpec
    private let description: StreamDescription
    private let action: StreamAction
    private let encrypting: Bool
    private let state: FrameCryptionState?
    private var counters = StreamCounters()

    /// - Parameter state: the state each frame counts as (`missingKey` for a sender without a key),
    ///   nil for streams no cryptor sees.
    init(
        output: OutputStreamSpec,
        description: StreamDescription,
        action: StreamAction,
        encrypting: Bool,
        countingAs state: FrameCryptionState? = nil
    ) {
        self.output = output
        self.description = description
        self.action = action
        self.encrypting = encrypting
        self.state = state
    }

    func handle(_ packet: inout Packet) throws(FrameCryptError) -> Bool {
        counters.receive(bytes: packet.size)
        counters.bytesOut += Int64(packet.size)
        if let state {
            counters.count(state)
        }
        return true
    }

    var report: StreamReport {
        counters.report(for: description, action: action, encrypting: encrypting)
    }
}

/// Leaves every packet of a stream out: a sender without a key that discards frames
/// (`discardFrameWhenCryptorNotReady`).
final class DiscardingStream: StreamHandler {
    let output: OutputStreamSpec
    private let description: StreamDescription
    private var counters = StreamCounters()

    init(output: OutputStreamSpec, description: StreamDescription) {
        self.output = output
        self.description = description
    }

    func handle(_ packet: inout Packet) throws(FrameCryptError) -> Bool {
        counters.receive(bytes: packet.size)
        counters.dropped += 1
        counters.count(.missingKey)
        return false
    }

    var report: StreamReport {
        counters.report(for: description, action: .discarded, encrypting: true)
    }
}
