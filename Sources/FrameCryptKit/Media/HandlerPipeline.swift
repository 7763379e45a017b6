import Foundation
import FrameCryptCore
import FrameCryptCrypto
import FrameCryptMedia
import Synchronization

/// Runs the stream handlers (the per-frame crypto) on a thread of their own while the job's thread
/// demuxes and muxes, so that on a machine with two cores encryption costs almost no wall time.
///
/// Packets go round a fixed ring of slots, oldest first, so the output keeps the input's order and
/// memory stays bounded: the job's thread reads into a free slot and submits it, the handler thread
/// transforms it in place, and the job's thread takes it back to write it. Each slot belongs to one
/// thread at a time. Either thread that runs out of work sleeps until the other has a batch ready,
/// never for a single packet: a wake-up costs more than encrypting a small frame, and waking per
/// packet once made short audio frames cost more than the whole crypto.
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
    static let depth = 64
    /// Packets a sleeping thread waits for.
    static let batch = 32

    private let handlers: [any StreamHandler]
    private let slots: [Slot]
    /// Guards `published` and `stopping`, and carries both threads' wake-ups.
    private let condition = NSCondition()
    /// Submitted slots the handler thread may take (a multiple of `batch` until a flush).
    private var published = 0
    private var stopping = false
    private var running = true
    private let stopped = DispatchSemaphore(value: 0)
    /// Slots handled so far, counted by the handler thread; read without the lock.
    private let handledCount = Atomic<Int>(0)
    /// While the job's thread sleeps: the handled count it waits for; 0 otherwise.
    private let wantedCount = Atomic<Int>(0)
    /// Slots submitted and taken back; used by the job's thread only.
    private var submittedCount = 0
    private var takenCount = 0

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
        handledCount.load(ordering: .sequentiallyConsistent) > takenCount
    }

    /// Hands ``nextFree`` (now holding a packet of a stream that has a handler) to the handler thread.
    func submit() {
        submittedCount += 1
        if submittedCount % Self.batch == 0 {
            publish()
        }
    }

    /// Waits for the oldest slot in flight to be handled and takes it back.
    ///
    /// - Returns: the slot, whose packet is to be written when the handler kept it.
    /// - Throws: the handler's error for that packet.
    func takeOldest() throws(FrameCryptError) -> (slot: Slot, keep: Bool) {
        if !oldestIsReady {
            publish()
            let wanted = min(takenCount + Self.batch, submittedCount)
            wantedCount.store(wanted, ordering: .sequentiallyConsistent)
            condition.lock()
            while handledCount.load(ordering: .sequentiallyConsistent) < wanted {
                condition.wait()
            }
            condition.unlock()
            wantedCount.store(0, ordering: .sequentiallyConsistent)
        }
        let slot = slots[takenCount % Self.depth]
        takenCount += 1
        return (slot, try slot.outcome.get())
    }

    /// Stops the handler thread and waits for it, whatever is still in flight; call once, before
    /// reading the handlers' reports.
    func stop() {
        guard running else { return }
        running = false
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
        stopped.wait()
    }

    /// Lets the handler thread see every slot submitted so far.
    private func publish() {
        condition.lock()
        if published != submittedCount {
            published = submittedCount
            condition.broadcast()
        }
        condition.unlock()
    }

    private func handleSubmitted() {
        var next = 0
        while true {
            condition.lock()
            while published == next && !stopping {
                condition.wait()
            }
            let available = published
            let stop = stopping
            condition.unlock()
            if stop {
                break
            }
            while next < available {
                let slot = slots[next % Self.depth]
                do throws(FrameCryptError) {
                    slot.outcome = .success(try handlers[slot.packet.streamIndex].handle(&slot.packet))
                } catch {
                    slot.outcome = .failure(error)
                }
                next += 1
                handledCount.store(next, ordering: .sequentiallyConsistent)
                let wanted = wantedCount.load(ordering: .sequentiallyConsistent)
                if wanted != 0 && next >= wanted {
                    condition.lock()
                    condition.broadcast()
                    condition.unlock()
                }
            }
        }
        CryptoLibrary.releaseThreadState()
        stopped.signal()
    }
}
