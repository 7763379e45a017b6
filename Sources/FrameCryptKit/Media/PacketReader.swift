import FrameCryptCore
import FrameCryptMedia

/// Reads a file's packets in order for the jobs that write nothing (inspect, verify-keys, the
/// decode probe), with the same error mapping and progress reports as the file jobs.
struct PacketReader: ~Copyable {
    let input: String
    private var demuxer: Demuxer
    private var packet: Packet
    private let framing: ContainerFraming?

    /// Opens `input` with FFmpeg's parsers off: the packets may be encrypted.
    ///
    /// - Parameter unwrapsFraming: take the container's framing off each frame (``ContainerFraming``);
    ///   false hands packets over exactly as the container stores them.
    init(_ input: String, unwrapsFraming: Bool = true) throws(FrameCryptError) {
        let packet: Packet
        do {
            packet = try Packet()
        } catch {
            throw FrameCryptError(.internalFailure, "cannot allocate a packet: \(error)", cause: error)
        }
        let demuxer = try MediaJob.openInput(input, parsesPackets: false)
        self.input = input
        self.packet = packet
        framing =
            unwrapsFraming
            ? ContainerFraming(streams: demuxer.streams, demuxerName: demuxer.formatName, parsed: false) : nil
        self.demuxer = demuxer
    }

    /// The file's streams.
    var streams: [MediaStream] {
        demuxer.streams
    }

    /// FFmpeg's name for the container.
    var formatName: String {
        demuxer.formatName
    }

    /// Hands every packet to `body` until the end of the file or until `body` returns false.
    mutating func forEach(
        progress: (JobProgress) -> Void = { _ in },
        _ body: (borrowing Packet) throws(FrameCryptError) -> Bool
    ) throws(FrameCryptError) {
        var count = 0
        while try MediaJob.read(&demuxer, into: &packet, input: input) {
            count += 1
            if count % 256 == 0 {
                let fraction = demuxer.fileSize.map { Double(demuxer.bytePosition) / Double($0) }
                progress(JobProgress(fraction: fraction, packets: count))
            }
            framing?.unwrap(&packet)
            guard try body(packet) else { break }
        }
        progress(JobProgress(fraction: 1, packets: count))
    }
}
