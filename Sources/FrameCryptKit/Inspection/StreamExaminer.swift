import FrameCryptCore
import FrameCryptMedia

/// What `inspect` asks of the reader of one stream, whatever its scheme.
protocol StreamExaminer: AnyObject {
    var index: Int { get }
    /// The scope within which nonces must be unique (streams that may share a key share a scope).
    var keyScope: String { get }
    /// Frames examined so far.
    var frames: Int { get }
    /// Examines one packet's payload and returns the frame's record.
    func examine(_ payload: [UInt8], pts: Int64?, keyFrame: Bool) -> FrameRecord
    /// The stream's summary.
    var report: StreamInspection { get }
    /// The findings that concern this stream alone.
    var findings: [Finding] { get }
}

extension Rational {
    /// `ticks` in this time base as seconds; nil without ticks or for a zero denominator.
    func seconds(_ ticks: Int64?) -> Double? {
        guard denominator != 0, let ticks else { return nil }
        return Double(ticks) * Double(numerator) / Double(denominator)
    }
}
