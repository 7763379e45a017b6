/// Which participant sent each stream: one for the whole file (`--participant`) and per-stream
/// overrides (`--map STREAM=ID`) for files that hold several participants' tracks.
package struct ParticipantAssignment: Sendable {
    package var defaultParticipant: String?
    package var byStream: [Int: String]

    package init(defaultParticipant: String? = nil, byStream: [Int: String] = [:]) {
        self.defaultParticipant = defaultParticipant
        self.byStream = byStream
    }

    /// The participant given for stream `index`, if any.
    package func participant(forStream index: Int) -> String? {
        byStream[index] ?? defaultParticipant
    }

    /// Checks that every mapped stream exists.
    package func validate(streamCount: Int, file: String) throws(FrameCryptError) {
        if let index = byStream.keys.sorted().first(where: { $0 >= streamCount }) {
            throw FrameCryptError(
                .invalidArgument,
                "\(file): a participant is given for stream \(index), but the file has \(streamCount) streams"
            )
        }
    }
}
