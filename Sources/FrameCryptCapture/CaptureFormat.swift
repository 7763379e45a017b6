import Foundation

/// The packet-capture formats framecrypt reads: RTP in libpcap and pcapng files, rtptools'
/// `rtpdump` files and Janus `.mjr` recordings (docs/CAPTURES.md).
package enum CaptureFormat: String, Sendable, CaseIterable {
    case pcap
    case pcapng
    case rtpdump
    case mjr

    /// The first bytes every rtpdump file starts with (rtptools `rtpdump.c`).
    static let rtpdumpMagic = Array("#!rtpplay1.0 ".utf8)
    /// The first bytes of a Janus recording (janus-gateway `record.c`).
    static let mjrMagic = Array("MJR00002".utf8)

    /// The format `head` (a file's first 16 bytes or more) opens with; nil for anything else, such
    /// as a media container.
    package static func detect(_ head: [UInt8]) -> CaptureFormat? {
        if head.starts(with: mjrMagic) { return .mjr }
        if head.starts(with: rtpdumpMagic) { return .rtpdump }
        guard head.count >= 4 else { return nil }
        switch Array(head[0..<4]) {
        case [0x0A, 0x0D, 0x0D, 0x0A]: return .pcapng
        case [0xD4, 0xC3, 0xB2, 0xA1], [0xA1, 0xB2, 0xC3, 0xD4], [0x4D, 0x3C, 0xB2, 0xA1], [0xA1, 0xB2, 0x3C, 0x4D]:
            return .pcap
        default: return nil
        }
    }

    /// The format of the regular file at `path`, from its first bytes; nil when it is none of
    /// these or cannot be read. A pipe or device is never read here: its bytes would be gone for
    /// the media demuxer (captures are read from files only).
    package static func detect(path: String) -> CaptureFormat? {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, let file = fopen(path, "rb") else {
            return nil
        }
        defer { fclose(file) }
        var head = [UInt8](repeating: 0, count: 16)
        let count = fread(&head, 1, head.count, file)
        return detect(Array(head.prefix(count)))
    }
}
