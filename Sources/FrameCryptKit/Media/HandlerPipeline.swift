import Foundation
import FrameCryptMedia
import Synchronization

/// Runs the stream handlers (the per-frame crypto) on a thread of their own while the job's thread
/// demuxes and muxes, so that on a machine with two cores encryption costs almost no wall time.
///
/// Packets go round a fixed ring of slots, oldest first, so the output keeps the input's order and
/// memory stays bounded: the job's thread reads into a free slot and submits it, the handler thread
/// transforms it in place, and the job's thread takes it back to write it. Each slot belongs to one
/// thread at a time; the semaphores hand it over and order the memory accesses. Slots are handed
/// over in batches, so that the handler thread wakes once per batch, not once per packet: a wake-up
/// costs more than encrypting a small frame.
final class HandlerPipeline: @unchecked Sendable {
    /// A packet on its way round the ring, with what the handler decided about it.
    final class Slot {
        var packet: Packet
        fileprivate var outcome: Result<Bool, FrameCryptError> = .success(false)

        fileprivate init() throws(FFmpegError) {
            packet = try Packet()
        }
    }

    /// Packets in flight at most: enough to ride out a slow key frame, few enough to keep memory flat.
    static let depth = 32
    /// Packets submitted together.
    static let batch = 8

    private let handlers: [any StreamHandler]
    private let slots: [Slot]
    private let submitted = DispatchSemaphore(value: 0)
    private let handled = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private let stopping = Atomic<Bool>(false)
    /// Slots submitted and taken back so far; used by the job's thread only.
    private var submittedCount = 0
    private var takenCount = 0
    /// Submitted slots the handler thread has not been told of yet.
    private var unsignalledCount = 0
    /// Slots handled so far, counted by the handler thread: a look at it never waits, where a
    /// semaphore's zero-timeout wait can sleep for the kernel's timer slack.
    private let handledCount = Atomic<Int>(0)
    private var running = true

    /// Starts the handler thread.
    init(handlers: [any StreamHandler]) throws(FFmpegError) {
        self.handlers = handlers
        var slots: [Slot] = []
        for _ in 0..<Self.depth {
            slots.append(try Slot())
        }
        self.slots = slots
        let worker = Thread { [self] in handleSubmitted() }
        worker.stackSize = 8 << 20
        worker.start()
    }

    /// The free slot to read the next packet into. Call ``takeOldest()`` first while ``isFull``.
    var nextFree: Slot {
        slots[submittedCount % Self.depth]
    }

    /// True when every slot is in flight.
    var isFull: Bool {
        submittedCount - takenCount == Self.depth
    }

    /// True when a slot is in flight.
    var hasInFlight: Bool {
        submittedCount > takenCount
    }

    /// True when the oldest slot in flight has been handled, so taking it will not wait.
    var oldestIsReady: Bool {
        handledCount.load(ordering: .acquiring) > takenCount
    }

    /// Hands ``nextFree`` (now holding a packet of a stream that has a handler) to the handler thread.
    func submit() {
        submittedCount += 1
        unsignalledCount += 1
        if unsignalledCount == Self.batch {
            signalSubmitted()
        }
    }

    private func signalSubmitted() {
        for _ in 0..<unsignalledCount {
            submitted.signal()
        }
        unsignalledCount = 0
    }

    /// Waits for the oldest slot in flight to be handled and takes it back.
    ///
    /// - Returns: the slot, whose packet is to be written when the handler kept it.
    /// - Throws: the handler's error for that packet.
    func takeOldest() throws(FrameCryptError) -> (slot: Slot, keep: Bool) {
        if !oldestIsReady {
            signalSubmitted()
        }
        handled.wait()
        let slot = slots[takenCount % Self.depth]
        takenCount += 1
        return (slot, try slot.outcome.get())
    }

    /// Stops the handler thread and waits for it, whatever is still in flight; call once, before
    /// reading the handlers' reports.
    func stop() {
        guard running else { return }
        running = false
        stopping.store(true, ordering: .releasing)
        submitted.signal()
        stopped.wait()
    }

    private func handleSubmitted() {
        var next = 0
        while true {
            submitted.wait()
            if stopping.load(ordering: .acquiring) {
                break
            }
            let slot = slots[next % Self.depth]
            next += 1
            do throws(FrameCryptError) {
                slot.outcome = .success(try handlers[slot.packet.streamIndex].handle(slot.packet))
            } catch {
                slot.outcome = .failure(error)
            }
            handledCount.add(1, ordering: .releasing)
            handled.signal()
        }
        stopped.signal()
    }
}
