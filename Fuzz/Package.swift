// swift-tools-version:6.2
import PackageDescription

/// libFuzzer targets for framecrypt's parsers. They define `LLVMFuzzerTestOneInput` and no `main`, so
/// they link only with `--sanitize=fuzzer`: build and run them with `make fuzz` (scripts/fuzz.sh).
let fuzzTargets = [
    "FuzzFrameCryptor", "FuzzSFrame", "FuzzSFrameHeader", "FuzzNALFraming", "FuzzKeyFile", "FuzzFrameClassifier",
    "FuzzContainer", "FuzzCapture",
]

let package = Package(
    name: "framecrypt-fuzz",
    products: fuzzTargets.map { .executable(name: $0, targets: [$0]) },
    dependencies: [.package(name: "framecrypt", path: "..")],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "FrameCryptCore", package: "framecrypt")]
        )
    ]
        + fuzzTargets.map {
            // Only the container target needs FFmpeg; the capture target links the capture reader
            // alone, the others the core without FFmpeg.
            .executableTarget(
                name: $0,
                dependencies: [
                    "FuzzSupport",
                    .product(
                        name: ["FuzzContainer": "FrameCryptKit", "FuzzCapture": "FrameCryptCapture"][$0]
                            ?? "FrameCryptCore",
                        package: "framecrypt"
                    ),
                ]
            )
        },
    swiftLanguageModes: [.v6]
)
