import FrameCryptCore
import FrameCryptFormat
import FrameCryptMedia

/// Fits a ``Scenario`` to a file's streams before anything is written: every stream, frame and key
/// index it names must exist, so a mistake stops the job with one line instead of a half-made file.
enum ScenarioPlan {
    /// Checks the stream numbers the scenario names against the file.
    static func check(_ scenario: Scenario, streams: [MediaStream], file: String) throws(FrameCryptError) {
        let named = scenario.corruptions.map(\.stream) + (scenario.serverInjection?.streams ?? [])
        if let missing = named.first(where: { !streams.indices.contains($0) }) {
            throw FrameCryptError(
                .invalidArgument,
                "\(file): the scenario names stream \(missing), but the file has \(streams.count) streams"
            )
        }
        if let injection = scenario.serverInjection {
            let carriers = streams.filter { stream in
                guard let kind = MediaEncryption.mediaKind(of: stream),
                    injection.streams?.contains(stream.index) ?? true
                else { return false }
                return ServerInjectedFrames.blankFrame(for: FrameCodec(kind: kind, name: stream.codecName)) != nil
            }
            let carrying = Set(carriers.map(\.index))
            if let refused = injection.streams?.first(where: { !carrying.contains($0) }) {
                throw FrameCryptError(
                    .invalidArgument,
                    "\(file): stream \(refused) cannot carry server-injected frames (servers send them for VP8, H.264 and Opus only)"
                )
            }
            if carriers.isEmpty {
                throw FrameCryptError(
                    .invalidArgument,
                    "\(file): no stream can carry server-injected frames (servers send them for VP8, H.264 and Opus only)"
                )
            }
        }
    }

    /// One encrypted stream's part in the scenario.
    ///
    /// - Throws: ``FrameCryptError`` `.keyFailure` when the sender would rotate to a key index it has
    ///   no key at.
    static func stream(
        _ scenario: Scenario,
        description: StreamDescription,
        codec: FrameCodec,
        keys: KeySet,
        keyIndex: Int,
        model: ReceiverModel,
        file: String
    ) throws(FrameCryptError) -> ScenarioStream {
        let ring = description.participant ?? ""
        let schedule = scenario.schedule(
            participant: description.participant,
            stream: description.index,
            baseKeyIndex: keyIndex
        )
        let whose = description.participant.map { "participant \($0)" } ?? "the shared key"
        for index in schedule.keyIndices.sorted() where !keys.hasKey(participant: ring, index: index) {
            throw FrameCryptError(
                .keyFailure,
                "\(file): \(description.label): the scenario uses key index \(index), which has no key for \(whose)"
            )
        }
        var injection: InjectionSchedule?
        if let server = scenario.serverInjection, server.streams?.contains(description.index) ?? true,
            let blank = ServerInjectedFrames.blankFrame(for: codec)
        {
            injection = InjectionSchedule(frame: blank + server.trailer, times: server.times)
        }
        return ScenarioStream(
            schedule: schedule,
            injection: injection,
            keyNotReady: scenario.keyNotReady,
            model: model,
            ring: ring
        )
    }
}
