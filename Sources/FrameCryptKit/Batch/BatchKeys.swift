/// Where each job of a batch finds its keys: the key file on its manifest line, else the keys the
/// command was given.
public struct BatchKeys: Sendable {
    /// The command's keys; nil when every manifest line must name its own key file.
    public let shared: KeySet?
    /// `--scheme`, applied to per-job key files as to the command's.
    public let scheme: EncryptionScheme?

    public init(shared: KeySet?, scheme: EncryptionScheme?) {
        self.shared = shared
        self.scheme = scheme
    }

    /// The keys of `job` (nil: a single-file run, which uses the command's keys).
    ///
    /// - Throws: ``FrameCryptError`` from reading the job's key file, `.invalidArgument` when the
    ///   job has no keys at all.
    public func keys(for job: BatchJob?) throws(FrameCryptError) -> KeySet {
        if let keyFile = job?.keyFile {
            return try KeyFile.load(path: keyFile).using(scheme: scheme, cipherSuite: nil)
        }
        guard let shared else {
            throw FrameCryptError(
                .invalidArgument,
                "\(job?.origin ?? "framecrypt"): no keys; give --key-file or a \"keyFile\" on the manifest line"
            )
        }
        return shared
    }
}
