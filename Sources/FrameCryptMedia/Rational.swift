internal import CFFmpeg

/// A rational number as FFmpeg keeps it: a time base (timestamps count `numerator / denominator`
/// seconds) or a frame rate.
public struct Rational: Sendable, Hashable, CustomStringConvertible {
    /// The numerator.
    public let numerator: Int32
    /// The denominator; 0 for an unknown value.
    public let denominator: Int32

    /// `numerator/denominator`, as given.
    public init(numerator: Int32, denominator: Int32) {
        self.numerator = numerator
        self.denominator = denominator
    }

    init(_ rational: AVRational) {
        self.init(numerator: rational.num, denominator: rational.den)
    }

    var rational: AVRational {
        AVRational(num: numerator, den: denominator)
    }

    /// `value` in this time base converted to `other`, rounded to the nearest unit (halves away
    /// from zero). The corresponding C function is `av_rescale_q`.
    public func convert(_ value: Int64, to other: Rational) -> Int64 {
        av_rescale_q(value, rational, other.rational)
    }

    public var description: String {
        "\(numerator)/\(denominator)"
    }
}
