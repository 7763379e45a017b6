/// `--shard I/N`: the I-th of N disjoint parts of a batch (counting from 0), so that N machines
/// running the same command with I = 0…N−1 process every job exactly once.
///
/// Job k of the full list (manifest line order, or sorted inputs) belongs to part k mod N: the
/// parts differ in size by at most one job and depend on nothing but the list.
public struct BatchShard: Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// Parses `I/N` with 0 ≤ I < N.
    ///
    /// - Throws: ``FrameCryptError`` `.invalidArgument` otherwise.
    public init(parsing text: String) throws(FrameCryptError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1,
            (0..<count).contains(index)
        else {
            throw FrameCryptError(
                .invalidArgument,
                "--shard \(text): expected I/N with 0 <= I < N, e.g. 0/3 (Slurm and Kubernetes count from 0)"
            )
        }
        self.index = index
        self.count = count
    }

    /// This part's jobs, in their order.
    public func select(_ jobs: [BatchJob]) -> [BatchJob] {
        jobs.enumerated().filter { $0.offset % count == index }.map(\.element)
    }

    public var description: String {
        "\(index)/\(count)"
    }
}
