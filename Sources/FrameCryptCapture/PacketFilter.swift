/// A packet filter in the spirit of BPF's expressions (pcap-filter(7)), over what framecrypt reads
/// of a packet: `[src|dst] host ADDRESS`, `[src|dst] port N`, `[src|dst] portrange A-B`, `udp`,
/// `ssrc N` and `pt N`, joined with `and`/`&&`, `or`/`||`, `not`/`!` and parentheses.
package indirect enum PacketFilter: Sendable, Equatable {
    case host(String, Direction)
    case port(ClosedRange<UInt16>, Direction)
    case ssrc(UInt32)
    case payloadType(UInt8)
    case any
    case not(PacketFilter)
    case and(PacketFilter, PacketFilter)
    case or(PacketFilter, PacketFilter)

    /// Which end of a datagram a host or port names.
    package enum Direction: Sendable, Equatable {
        case source
        case destination
        case either
    }

    /// Parses `text`.
    ///
    /// - Throws: ``CaptureError`` (`invalidArgument`) naming the first word that does not fit.
    package init(_ text: String) throws(CaptureError) {
        var parser = Parser(text)
        self = try parser.expression()
        if let extra = parser.peek {
            throw CaptureError(.invalidArgument, "--filter \(text): unexpected \"\(extra)\"")
        }
    }

    /// Whether a datagram between `source` and `destination` matches; `rtp` is its RTP header
    /// when it has one (`ssrc` and `pt` never match without).
    package func matches(source: Endpoint, destination: Endpoint, rtp: RTPPacket?) -> Bool {
        switch self {
        case .host(let address, let direction):
            return Self.either(direction, source.address == address, destination.address == address)
        case .port(let range, let direction):
            return Self.either(direction, range.contains(source.port), range.contains(destination.port))
        case .ssrc(let ssrc):
            return rtp?.ssrc == ssrc
        case .payloadType(let type):
            return rtp?.payloadType == type
        case .any:
            return true
        case .not(let inner):
            return !inner.matches(source: source, destination: destination, rtp: rtp)
        case .and(let left, let right):
            return left.matches(source: source, destination: destination, rtp: rtp)
                && right.matches(source: source, destination: destination, rtp: rtp)
        case .or(let left, let right):
            return left.matches(source: source, destination: destination, rtp: rtp)
                || right.matches(source: source, destination: destination, rtp: rtp)
        }
    }

    /// Whether the filter can be decided without the RTP header (no `ssrc` or `pt` in it).
    var needsRTP: Bool {
        switch self {
        case .ssrc, .payloadType: true
        case .host, .port, .any: false
        case .not(let inner): inner.needsRTP
        case .and(let left, let right), .or(let left, let right): left.needsRTP || right.needsRTP
        }
    }

    private static func either(_ direction: Direction, _ source: Bool, _ destination: Bool) -> Bool {
        switch direction {
        case .source: source
        case .destination: destination
        case .either: source || destination
        }
    }

    private struct Parser {
        private var words: [String]
        private var index = 0
        private let text: String

        init(_ text: String) {
            self.text = text
            var words: [String] = []
            var current = ""
            for character in text {
                if character == "(" || character == ")" || character == "!" {
                    if !current.isEmpty { words.append(current) }
                    current = ""
                    words.append(String(character))
                } else if character.isWhitespace {
                    if !current.isEmpty { words.append(current) }
                    current = ""
                } else {
                    current.append(character)
                }
            }
            if !current.isEmpty { words.append(current) }
            self.words = words
        }

        var peek: String? {
            index < words.count ? words[index] : nil
        }

        private mutating func next() throws(CaptureError) -> String {
            guard let word = peek else {
                throw CaptureError(.invalidArgument, "--filter \(text): ends where a word is expected")
            }
            index += 1
            return word
        }

        mutating func expression() throws(CaptureError) -> PacketFilter {
            var left = try term()
            while let word = peek, word == "or" || word == "||" {
                index += 1
                left = .or(left, try term())
            }
            return left
        }

        private mutating func term() throws(CaptureError) -> PacketFilter {
            var left = try factor()
            while let word = peek, word == "and" || word == "&&" {
                index += 1
                left = .and(left, try factor())
            }
            return left
        }

        private mutating func factor() throws(CaptureError) -> PacketFilter {
            let word = try next()
            switch word {
            case "not", "!":
                return .not(try factor())
            case "(":
                let inner = try expression()
                guard try next() == ")" else {
                    throw CaptureError(.invalidArgument, "--filter \(text): a \"(\" is not closed")
                }
                return inner
            case "udp", "ip", "ip6":
                return .any
            case "src", "dst":
                return try primitive(try next(), direction: word == "src" ? .source : .destination)
            default:
                return try primitive(word, direction: .either)
            }
        }

        private mutating func primitive(_ word: String, direction: Direction) throws(CaptureError) -> PacketFilter {
            let value = try next()
            switch word {
            case "host":
                return .host(value, direction)
            case "port":
                guard let port = UInt16(value) else { throw invalid("port \(value)") }
                return .port(port...port, direction)
            case "portrange":
                let bounds = value.split(separator: "-").compactMap { UInt16($0) }
                guard bounds.count == 2, bounds[0] <= bounds[1] else { throw invalid("portrange \(value)") }
                return .port(bounds[0]...bounds[1], direction)
            case "ssrc" where direction == .either:
                guard let ssrc = SSRCText.parse(value) else { throw invalid("ssrc \(value)") }
                return .ssrc(ssrc)
            case "pt" where direction == .either:
                guard let type = UInt8(value), type < 128 else { throw invalid("pt \(value)") }
                return .payloadType(type)
            default:
                throw invalid(word)
            }
        }

        private func invalid(_ what: String) -> CaptureError {
            CaptureError(
                .invalidArgument,
                "--filter \(text): cannot read \"\(what)\" (use [src|dst] host A, [src|dst] port N, portrange A-B, udp, ssrc N, pt N, and, or, not, parentheses)"
            )
        }
    }
}

/// SSRCs as users write them: decimal or `0x` hexadecimal.
package enum SSRCText {
    package static func parse(_ text: String) -> UInt32? {
        let lower = text.lowercased()
        return lower.hasPrefix("0x") ? UInt32(lower.dropFirst(2), radix: 16) : UInt32(lower)
    }

    /// `0x` and eight hex digits, as reports print SSRCs.
    package static func hex(_ ssrc: UInt32) -> String {
        let digits = String(ssrc, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
