import FrameCryptFormat

/// One encrypting stream's part in a scenario: its sender's schedule, the server frames it carries,
/// and the receiver model that every stream of the file reports to.
package final class ScenarioStream {
    package var schedule: SenderSchedule
    package var injection: InjectionSchedule?
    package let keyNotReady: Scenario.KeyNotReady
    package let model: ReceiverModel
    /// The receiver's key ring for this stream (its participant; empty for none).
    package let ring: String
    /// Frames damaged after encryption so far.
    package var corrupted = 0

    package init(
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
