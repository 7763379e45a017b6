/// Whose keys and participants one job works with, and where it stands among the jobs of its run.
/// A file on its own is the only job of its run; each job of a batch gets its manifest line's keys
/// and participants, else the command's (``BatchKeys/assignment(for:participants:)``), and its place
/// in the batch.
package struct JobAssignment: Sendable {
    package var keys: KeySet
    package var participants: ParticipantAssignment
    /// The job's place among the jobs of its run (from 0), which gives it SFrame counters of its
    /// own after the counter start (``SFrameCounterRange``); nil for a job that runs alone.
    package var counterSlot: Int?

    package init(keys: KeySet, participants: ParticipantAssignment, counterSlot: Int? = nil) {
        self.keys = keys
        self.participants = participants
        self.counterSlot = counterSlot
    }
}
