import FrameCryptFormat

/// One encrypting stream's part in a scenario: its sender's schedule, the server frames it carries,
/// and the receiver model that every stream of the file reports to.
final class ScenarioStream {
    var schedule: SenderSchedule
    var injection: InjectionSchedule?
    let keyNotReady: Scenario.KeyNotReady
    let model: ReceiverModel
    /// The receiver's key ring for this stream (its participant; empty for none).
    let ring: String
    /// Frames damaged after encryption so far.
    var corrupted = 0

    init(
        schedule: SenderSchedule,
        injection: InjectionSchedule?,
        keyNotReady: Scenario.KeyNotReady,
        model: ReceiverModel,
        ring: String
    ) {
        self.schedule = schedule
        self.injection = injection
        self.keyNotReady = keyNotReady
        self.model = model
        self.ring = ring
    }
}
