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
        .library(name: "FrameCryptKit", targets: ["FrameCryptKit", "FrameCryptFormat", "FrameCryptCrypto"]),
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
        .target(name: "FrameCryptMedia", dependencies: ["CFFmpeg", "FrameCryptFormat"], swiftSettings: swiftSettings),
        .target(name: "FrameCryptFetch", dependencies: ["CCurl"], swiftSettings: swiftSettings),
        .target(
            name: "FrameCryptKit",
            dependencies: ["FrameCryptFormat", "FrameCryptCrypto", "FrameCryptMedia", "FrameCryptFetch", "CByteScan"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FrameCryptCLI",
            dependencies: ["FrameCryptKit", "FrameCryptFormat", "FrameCryptCrypto", argumentParser],
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
            dependencies: ["FrameCryptKit", "FrameCryptCrypto", "FrameCryptFormat", "COpenSSL"],
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
            name: "FrameCryptMediaTests",
            dependencies: ["FrameCryptMedia", "FrameCryptTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FrameCryptKitTests",
            dependencies: ["FrameCryptKit", "FrameCryptMedia", "FrameCryptTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FrameCryptCLITests",
            dependencies: ["FrameCryptCLI", "FrameCryptTestSupport", argumentParser],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
