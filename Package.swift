// swift-tools-version:6.2
import PackageDescription

/// Settings every Swift target shares.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "framecrypt",
    products: [
        .executable(name: "framecrypt", targets: ["framecrypt"]),
        .executable(name: "framecrypt-bench", targets: ["FrameCryptBench"]),
        // For the fuzz targets in Fuzz/, a package of its own built only with the fuzzer.
        .library(name: "FrameCryptCore", targets: ["FrameCryptCore", "FrameCryptFormat", "FrameCryptCrypto"]),
        .library(name: "FrameCryptCapture", targets: ["FrameCryptCapture", "FrameCryptFormat"]),
        .library(
            name: "FrameCryptKit",
            targets: ["FrameCryptKit", "FrameCryptCore", "FrameCryptFormat", "FrameCryptCrypto"]
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // MARK: C libraries (system packages, found with pkg-config)
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat libavcodec libavutil libswscale",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(name: "CProcessControl"),
        .systemLibrary(
            name: "CSRTP",
            pkgConfig: "libsrtp2",
            providers: [.apt(["libsrtp2-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),

        // MARK: Libraries
        // Byte loops at machine speed: the zero-pair search under FrameCryptFormat's H.264/H.265
        // scanners (AVX2) and the CRC-32C of batch completion records (SSE4.2).
        .target(name: "CByteScan"),
        .target(
            name: "FrameCryptFormat",
            dependencies: ["CByteScan"],
            swiftSettings: swiftSettings + [
                .strictMemorySafety(), .treatWarning("StrictMemorySafety", as: .error),
            ]
        ),
        .target(
            name: "FrameCryptCrypto",
            dependencies: ["COpenSSL", "CProcessControl"],
            swiftSettings: swiftSettings
        ),
        // Helpers every layer may use (a lock ThreadSanitizer understands).
        .target(name: "FrameCryptShared", swiftSettings: swiftSettings),
        .target(
            name: "FrameCryptMedia",
            dependencies: ["CFFmpeg", "FrameCryptFormat", "FrameCryptShared"],
            swiftSettings: swiftSettings
        ),
        .target(name: "FrameCryptFetch", dependencies: ["CCurl"], swiftSettings: swiftSettings),
        // RTP captures without FFmpeg: pcap, pcapng, rtpdump and Janus files, SRTP, RTP payload
        // formats both ways, loss and reordering.
        .target(
            name: "FrameCryptCapture",
            dependencies: ["FrameCryptFormat", "CSRTP"],
            swiftSettings: swiftSettings
        ),
        // Everything without FFmpeg: keys and key sources, frame and SFrame cryptors, JSON, vectors
        // and their checkers, scenarios, errors. Fuzzers and other tools link it without FFmpeg.
        .target(
            name: "FrameCryptCore",
            dependencies: ["FrameCryptFormat", "FrameCryptCrypto", "FrameCryptFetch", "FrameCryptShared", "CByteScan"],
            swiftSettings: swiftSettings
        ),
        // The media jobs: encrypt, decrypt, inspect, verify-keys, vector export, fixtures.
        .target(
            name: "FrameCryptKit",
            dependencies: [
                "FrameCryptCore", "FrameCryptFormat", "FrameCryptCrypto", "FrameCryptMedia", "FrameCryptShared",
                "FrameCryptCapture",
            ],
            swiftSettings: swiftSettings
        ),
        // Many files at once: job lists, shards, resumable outputs, per-job keys.
        .target(
            name: "FrameCryptBatch",
            dependencies: ["FrameCryptKit", "FrameCryptCore", "FrameCryptShared"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FrameCryptCLI",
            dependencies: [
                "FrameCryptBatch", "FrameCryptKit", "FrameCryptCore", "FrameCryptFormat", "FrameCryptCrypto",
                "FrameCryptShared",
                argumentParser,
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Executables
        .executableTarget(
            name: "framecrypt",
            dependencies: ["FrameCryptCLI", argumentParser],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FrameCryptBench",
            dependencies: ["FrameCryptKit", "FrameCryptCore", "FrameCryptCrypto", "FrameCryptFormat", "COpenSSL"],
            path: "bench/FrameCryptBench",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .target(name: "FrameCryptTestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "FrameCryptFormatTests",
            dependencies: ["FrameCryptFormat", "FrameCryptTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FrameCryptCryptoTests",
            dependencies: ["FrameCryptCrypto", "FrameCryptFormat", "FrameCryptTestSupport", "COpenSSL"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FrameCryptCaptureTests",
            dependencies: ["FrameCryptCapture", "FrameCryptFormat", "FrameCryptTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FrameCryptMediaTests",
            dependencies: ["FrameCryptMedia", "FrameCryptTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FrameCryptKitTests",
            dependencies: [
                "FrameCryptKit", "FrameCryptBatch", "FrameCryptCore", "FrameCryptMedia", "FrameCryptTestSupport",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FrameCryptCLITests",
            dependencies: [
                "FrameCryptCLI", "FrameCryptKit", "FrameCryptCore", "FrameCryptTestSupport", argumentParser,
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
