import FrameCryptFormat

extension Scenario {
    private static let fields: Set = [
        "description", "sendCounter", "keyNotReady", "keyArrivals", "rotations", "ratchets", "serverInjected",
        "corruptions",
    ]

    /// Reads a scenario file (docs/SCENARIOS.md).
    ///
    /// - Throws: ``FrameCryptError`` `.inputMissing` for a missing file, `.malformedInput` naming the
    ///   field at fault for anything wrong inside it.
    package static func load(path: String) throws(FrameCryptError) -> Scenario {
        let root = JSONField(root: try JSONValue.load(path: path), file: path)
        try root.rejectUnknownFields(allowed: fields)
        var scenario = Scenario()
        scenario.description = try root.optional("description")?.string()
        scenario.sendCounter = try root.optional("sendCounter")?.choice(SendCounterStart.self) ?? .native
        scenario.keyNotReady = try root.optional("keyNotReady")?.choice(KeyNotReady.self) ?? .sendClear
        scenario.keyArrivals = try keyArrivals(in: root)
        scenario.rotations = try events(root, "rotations", fields: ["keyIndex"]) { (event) throws(FrameCryptError) in
            Rotation(
                at: try event.field("at").seconds(),
                participant: try event.participant(),
                keyIndex: try event.field("keyIndex").integer(in: 0...254)
            )
        }
        scenario.ratchets = try events(root, "ratchets", fields: ["steps"]) { (event) throws(FrameCryptError) in
            Ratchet(
                at: try event.field("at").seconds(),
                participant: try event.participant(),
                steps: try event.optional("steps")?.integer(in: 1...255) ?? 1
            )
        }
        scenario.serverInjection = try root.optional("serverInjected").map(serverInjection)
        scenario.corruptions = try corruptions(in: root)
        return scenario
    }

    /// The events of array `name`, each with `at`, an optional `participant` and `fields`.
    private static func events<Event>(
        _ root: JSONField,
        _ name: String,
        fields: Set<String>,
        _ read: (JSONField) throws(FrameCryptError) -> Event
    ) throws(FrameCryptError) -> [Event] {
        var events: [Event] = []
        for event in try root.optional(name)?.array() ?? [] {
            try event.rejectUnknownFields(allowed: fields.union(["at", "participant"]))
            events.append(try read(event))
        }
        return events
    }

    /// The key arrivals: at most one per participant (one for every sender without a participant).
    private static func keyArrivals(in root: JSONField) throws(FrameCryptError) -> [KeyArrival] {
        var participants: Set<String?> = []
        return try events(root, "keyArrivals", fields: []) { (event) throws(FrameCryptError) in
            let arrival = KeyArrival(at: try event.field("at").seconds(), participant: try event.participant())
            guard participants.insert(arrival.participant).inserted else {
                throw event.error("a second key arrival for \(arrival.participant ?? "every sender")")
            }
            return arrival
        }
    }

    private static func serverInjection(_ injected: JSONField) throws(FrameCryptError) -> ServerInjection {
        try injected.rejectUnknownFields(allowed: ["trailerHex", "at", "streams"])
        let trailer = try injected.field("trailerHex").hexBytes()
        guard !trailer.isEmpty else { throw try injected.field("trailerHex").error("the trailer is empty") }
        let times = try injected.field("at").array()
        guard !times.isEmpty else { throw try injected.field("at").error("no times") }
        return ServerInjection(
            trailer: trailer,
            times: try times.map { (time) throws(FrameCryptError) in try time.seconds() }.sorted(),
            streams: try injected.optional("streams")?.array().map { (stream) throws(FrameCryptError) in
                try stream.integer(in: 0...Int(Int32.max))
            }
        )
    }

    /// The corruptions: at most one per frame.
    private static func corruptions(in root: JSONField) throws(FrameCryptError) -> [Corruption] {
        var damaged: Set<[Int]> = []
        var corruptions: [Corruption] = []
        for event in try root.optional("corruptions")?.array() ?? [] {
            try event.rejectUnknownFields(allowed: ["stream", "frame", "part"])
            let corruption = Corruption(
                stream: try event.field("stream").integer(in: 0...Int(Int32.max)),
                frame: try event.field("frame").integer(in: 0...Int.max),
                part: try event.field("part").choice(FrameCorruption.self)
            )
            guard damaged.insert([corruption.stream, corruption.frame]).inserted else {
                throw event.error("frame \(corruption.frame) of stream \(corruption.stream) is corrupted twice")
            }
            corruptions.append(corruption)
        }
        return corruptions
    }
}

extension JSONField {
    /// A time in seconds: a number, 0 or more.
    fileprivate func seconds() throws(FrameCryptError) -> Double {
        let seconds: Double
        switch value {
        case .integer(let number): seconds = Double(number)
        case .number(let number): seconds = number
        default: throw error("expected a time in seconds, found \(value.typeName)")
        }
        guard seconds >= 0, seconds.isFinite else { throw error("a time must be 0 or more") }
        return seconds
    }

    /// The optional `participant` member.
    fileprivate func participant() throws(FrameCryptError) -> String? {
        guard let id = try optional("participant")?.string() else { return nil }
        guard !id.isEmpty else { throw try field("participant").error("the participant id is empty") }
        return id
    }
}
