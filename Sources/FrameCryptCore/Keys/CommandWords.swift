/// Splits a command line into words the way a POSIX shell quotes them, and does nothing else: no
/// variables, globs, pipes or redirections, so `--key-command` runs exactly the program named.
/// A user who wants a shell writes one: `sh -c '…'`.
enum CommandWords {
    /// The words of `line`: blanks separate them; `'…'` keeps everything literally, `"…"` keeps all
    /// but `\"` and `\\`, and a backslash outside quotes keeps the next character.
    ///
    /// - Throws: ``FrameCryptError`` `.invalidArgument` for an unclosed quote, a trailing
    ///   backslash or an empty line.
    static func split(_ line: String) throws(FrameCryptError) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var characters = line.makeIterator()
        while let character = characters.next() {
            switch character {
            case " ", "\t", "\n":
                if inWord {
                    words.append(word)
                    word = ""
                    inWord = false
                }
            case "'":
                inWord = true
                guard let quoted = read(until: "'", from: &characters, escapes: []) else {
                    throw FrameCryptError(.invalidArgument, "key command: unclosed ' quote")
                }
                word += quoted
            case "\"":
                inWord = true
                guard let quoted = read(until: "\"", from: &characters, escapes: ["\"", "\\"]) else {
                    throw FrameCryptError(.invalidArgument, "key command: unclosed \" quote")
                }
                word += quoted
            case "\\":
                guard let next = characters.next() else {
                    throw FrameCryptError(.invalidArgument, "key command: ends with a backslash")
                }
                inWord = true
                word.append(next)
            default:
                inWord = true
                word.append(character)
            }
        }
        if inWord {
            words.append(word)
        }
        guard !words.isEmpty else {
            throw FrameCryptError(.invalidArgument, "key command: empty")
        }
        return words
    }

    /// The characters up to `end` (consumed); nil when `end` never comes. A backslash before one of
    /// `escapes` keeps that character.
    private static func read(
        until end: Character,
        from characters: inout String.Iterator,
        escapes: Set<Character>
    ) -> String? {
        var text = ""
        while let character = characters.next() {
            if character == end {
                return text
            }
            if character == "\\", !escapes.isEmpty {
                guard let next = characters.next() else { return nil }
                if !escapes.contains(next) {
                    text.append(character)
                }
                text.append(next)
            } else {
                text.append(character)
            }
        }
        return nil
    }
}
