internal import CFFmpeg

/// A rational number as FFmpeg keeps it: a time base (timestamps count `numerator / denominator`
/// seconds) or a frame rate.
package struct Rational: Sendable, Hashable, CustomStringConvertible {
    package let numerator: Int32
    package let denominator: Int32

    package init(numerator: Int32, denominator: Int32) {
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
    package func convert(_ value: Int64, to other: Rational) -> Int64 {
        av_rescale_q(value, rational, other.rational)
    }

    package var description: String {
        "\(numerator)/\(denominator)"
    }
}
