package import FrameCryptFormat

/// How one SDK's FrameCryptor receiver behaves where the SDKs differ: its ratchet search, failure
/// tolerance, key derivation, codecs and server-injected-frame filter.
///
/// Each profile is written from that SDK's own source at the version docs/SDKS.md cites. Decrypting,
/// checking keys or predicting a scenario "as `js`" answers what that SDK, left at its defaults,
/// would show for the same frames.
package struct ReceiverProfile: Sendable, Hashable {
    /// The SDKs framecrypt models.
    package enum Name: String, Sendable, CaseIterable, Codable {
        /// LiveKit's libwebrtc FrameCryptor as PyPI `livekit` ships it (the interop witness).
        case native
        /// livekit/client-sdk-js's worker (browser insertable streams).
        case js
        /// livekit/client-sdk-swift.
        case swift
        /// livekit/client-sdk-android.
        case android
        /// livekit/client-sdk-flutter on iOS and Android (the native cryptor under Dart).
        case flutter
        /// livekit/rust-sdks.
        case rust
        /// VideoSDK's mobile SDKs (the same native cryptor, wrapped).
        case videosdk
    }

    /// How far and how a receiver looks ahead in the ratchet chain when a frame fails.
    package enum RatchetSearch: Sendable, Hashable {
        /// Up to `window` successive steps from the stored key; a success at exactly the last step
        /// is delivered but not kept when `keepsEdgeStep` is false (native's revert condition).
        case chain(window: Int, keepsEdgeStep: Bool)
        /// Up to `window` retries that each test the same single step ahead of the stored key (JS:
        /// the stored material is not moved between retries), so a frame two steps ahead never opens.
        case oneStep(retries: Int)

        /// The steps ahead of the stored key a frame may be and still open.
        package var reach: Int {
            switch self {
            case .chain(let window, _): window
            case .oneStep(let retries): min(retries, 1)
            }
        }
    }

    /// When a receiver stops trying a key after failures.
    package enum FailureTolerance: Sendable, Hashable {
        /// Never (tolerance −1, every native SDK's default).
        case unlimited
        /// After more than `failures` consecutive failures at one key index, every later frame at
        /// that index is dropped unread (JS: a success resets the count).
        case perKeyIndex(failures: Int)
    }

    /// Which KDF turns the material a receiver is given into AES keys.
    package enum Derivation: Sendable, Hashable {
        /// The provider's option: PBKDF2 by default, HKDF when the SDK exposes the option.
        case option(hkdfAvailable: Bool)
        /// By the type of material: a string through PBKDF2, raw bytes through HKDF (JS).
        case byMaterialType
    }

    /// How a key given as a string becomes material.
    package enum TextEncoding: Sendable, Hashable {
        /// The string's UTF-8 bytes.
        case utf8
        /// Each UTF-16 code unit cut to its low byte (Dart's `Uint8List.fromList(key.codeUnits)`).
        case utf16LowBytes
    }

    /// Which server-injected frames a receiver forwards.
    package enum ServerFrameFilter: Sendable, Hashable {
        /// The native list: VP8 key frame, Opus silence (alone or behind RED), G.711 silence, an
        /// H.264 IDR alone or behind SPS and PPS, each after a 4-byte start code.
        case blankPayloads
        /// Only payloads whose SHA-256 is pinned (JS): the VP8 key frame, Opus silence, and the
        /// H.264 SPS, PPS or IDR each on its own without a start code.
        case pinnedDigests
    }

    package let name: Name
    /// The search with a shared key and with per-participant keys (JS's shared-key provider
    /// forces a window of 0).
    package let sharedSearch: RatchetSearch
    package let perParticipantSearch: RatchetSearch
    package let sharedTolerance: FailureTolerance
    package let perParticipantTolerance: FailureTolerance
    package let derivation: Derivation
    package let textEncoding: TextEncoding
    /// Whether the AES key is always 128 bits whatever the key file says (native derives 16 bytes).
    package let always128BitKeys: Bool
    /// Whether the receiver opens encrypted AV1 (JS refuses: "av1 is not yet supported").
    package let opensAV1: Bool
    package let serverFrames: ServerFrameFilter
    /// Whether the LiveKit packet trailer (`LKTS`) is removed before decryption (JS only).
    package let stripsPacketTrailer: Bool
    /// Whether an H.26x clear prefix is counted in 8 bits (native), so a prefix over 255 bytes
    /// is read wrapped and the frame fails.
    package let wrapsClearPrefix: Bool
    /// Whether an H.26x frame that does not begin with a start code or holds no slice is read with
    /// VP8's clear bytes (JS, ``JSClearPrefix``).
    package let fallsBackToVP8Rule: Bool
    /// State names the SDK reports under, when they differ from the FrameCryptor ones.
    package let reportsVideoSDKStates: Bool

    /// The clear bytes this receiver reads at the start of a received frame of `codec`, and the codec
    /// whose framing (H.26x emulation prevention or none) it applies to the rest: the codec rule; for
    /// native receivers the rule's length in an 8-bit counter; for JS, VP8's clear bytes on an H.26x
    /// frame its NAL parser rejects.
    package func reading(of frame: ArraySlice<UInt8>, codec: FrameCodec, keyFrame: Bool) -> (
        clearBytes: Int, codec: FrameCodec
    ) {
        guard codec.isH26x else { return (ClearPrefix.length(of: frame, codec: codec), codec) }
        if wrapsClearPrefix {
            return (min(ClearPrefix.nativeSenderLength(of: frame, codec: codec), frame.count), codec)
        }
        if fallsBackToVP8Rule {
            let reading = JSClearPrefix.reading(of: frame, codec: codec, keyFrame: keyFrame)
            return (reading.clearBytes, reading.as)
        }
        return (ClearPrefix.length(of: frame, codec: codec), codec)
    }

    /// The search this receiver runs for keys in `mode`.
    package func search(for mode: KeyProvider.Mode) -> RatchetSearch {
        mode == .shared ? sharedSearch : perParticipantSearch
    }

    /// The failure tolerance this receiver applies for keys in `mode`.
    package func tolerance(for mode: KeyProvider.Mode) -> FailureTolerance {
        mode == .shared ? sharedTolerance : perParticipantTolerance
    }

    /// Whether the receiver can open encrypted frames of `codec` at all.
    package func supports(_ codec: FrameCodec) -> Bool {
        codec != .av1 || opensAV1
    }
}

extension ReceiverProfile {
    /// The profile called `name`.
    package static func named(_ name: Name) -> ReceiverProfile {
        switch name {
        case .native: nativeFamily(.native, window: 16, hkdf: true)
        case .js: js
        case .swift: nativeFamily(.swift, window: 0, hkdf: false)
        case .android: nativeFamily(.android, window: 16, hkdf: true)
        case .flutter: nativeFamily(.flutter, window: 0, hkdf: false, text: .utf16LowBytes)
        case .rust: nativeFamily(.rust, window: 16, hkdf: true)
        case .videosdk: nativeFamily(.videosdk, window: 16, hkdf: false, videoSDKStates: true)
        }
    }

    private static func nativeFamily(
        _ name: Name,
        window: Int,
        hkdf: Bool,
        text: TextEncoding = .utf8,
        videoSDKStates: Bool = false
    ) -> ReceiverProfile {
        let search = RatchetSearch.chain(window: window, keepsEdgeStep: false)
        return ReceiverProfile(
            name: name,
            sharedSearch: search,
            perParticipantSearch: search,
            sharedTolerance: .unlimited,
            perParticipantTolerance: .unlimited,
            derivation: .option(hkdfAvailable: hkdf),
            textEncoding: text,
            always128BitKeys: true,
            opensAV1: true,
            serverFrames: .blankPayloads,
            stripsPacketTrailer: false,
            wrapsClearPrefix: true,
            fallsBackToVP8Rule: false,
            reportsVideoSDKStates: videoSDKStates
        )
    }

    private static let js = ReceiverProfile(
        name: .js,
        sharedSearch: .oneStep(retries: 0),
        perParticipantSearch: .oneStep(retries: 8),
        sharedTolerance: .unlimited,
        perParticipantTolerance: .perKeyIndex(failures: 10),
        derivation: .byMaterialType,
        textEncoding: .utf8,
        always128BitKeys: false,
        opensAV1: false,
        serverFrames: .pinnedDigests,
        stripsPacketTrailer: true,
        wrapsClearPrefix: false,
        fallsBackToVP8Rule: true,
        reportsVideoSDKStates: false
    )
}
