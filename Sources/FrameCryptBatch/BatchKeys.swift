package import FrameCryptCore
import FrameCryptKit
import FrameCryptShared

/// Where each job of a batch finds its keys: the key source on its manifest line, else the keys
/// the command was given.
///
/// Each distinct source is read once (a key service is asked once, a key command run once, however
/// many jobs name it), and its keys are kept, in wiped storage, until the batch ends, together with
/// the AES keys and ratchet steps derived from them: a key is derived once per batch, not once per
/// job. A source that failed fails every job naming it with the same error, without being tried again.
package final class BatchKeys: Sendable {
    /// The command's keys; nil when every manifest line must name its own key source.
    package let shared: KeySet?
    /// `--scheme`, applied to per-job keys as to the command's.
    package let scheme: EncryptionScheme?
    /// How per-job sources are read (custody, deadline, key service settings).
    package let settings: KeySourceSettings
    private let loaded = Guarded<[KeySource: Result<KeySet, FrameCryptError>]>([:])

    package init(shared: KeySet?, scheme: EncryptionScheme?, settings: KeySourceSettings) {
        self.shared = shared?.cachingDerivations()
        self.scheme = scheme
        self.settings = settings
    }

    /// What `job` works with: its keys and participants (its manifest line's, else the command's)
    /// and its place in the batch.
    ///
    /// - Throws: ``FrameCryptError`` from reading the job's key source, `.invalidArgument` when
    ///   the job has no keys at all.
    package func assignment(for job: BatchJob, participants: ParticipantAssignment) throws(FrameCryptError)
        -> JobAssignment
    {
        JobAssignment(
            keys: try keys(for: job),
            participants: job.participants ?? participants,
            counterSlot: job.position
        )
    }

    /// The keys of `job`: its manifest line's source, else the command's.
    ///
    /// - Throws: ``FrameCryptError`` from reading the job's key source, `.invalidArgument` when
    ///   the job has no keys at all.
    func keys(for job: BatchJob) throws(FrameCryptError) -> KeySet {
        if let source = job.keySource {
            // The lock is held while the source is read, so jobs naming the same source wait for
            // the one read instead of starting their own.
            let result = loaded.withLock { cache in
                if let known = cache[source] {
                    return known
                }
                let result = Result { () throws(FrameCryptError) in
                    try source.load(settings).using(scheme: scheme, cipherSuite: nil).cachingDerivations()
                }
                cache[source] = result
                return result
            }
            return try result.get()
        }
        guard let shared else {
            throw FrameCryptError(
                .invalidArgument,
                "\(job.origin): no keys",
                remedy: .giveKeySource
            )
        }
        return shared
    }
}
