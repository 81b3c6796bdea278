import Synchronization
import Testing

@testable import FerryRPC

/// gRPC A6's retry buffer: what a retryable call keeps of its request, per call and per client.
@Suite("Retry buffer limits")
struct RetryBufferTests {
    static func message(_ size: Int, _ fill: UInt8 = 1) -> [UInt8] { [UInt8](repeating: fill, count: size) }

    @Test("A request within the per-call limit is kept whole and can be replayed from the start")
    func keptWithinLimit() async throws {
        let pool = RetryBufferPool(limit: 1 << 20)
        let buffer = ReplayBuffer(limit: 1000, pool: pool)
        for index in 0..<4 { try await buffer.append(Self.message(250, UInt8(index))) }
        buffer.finish()
        #expect(!buffer.isCommitted)
        #expect(pool.heldBytes == 1000)
        for _ in 0..<2 {  // two attempts read it all
            var index = 0
            while let bytes = try await buffer.message(at: index)?.bytes {
                #expect(bytes == Self.message(250, UInt8(index)))
                index += 1
            }
            #expect(index == 4)
        }
        buffer.release()
        #expect(pool.heldBytes == 0)
    }

    @Test("Past the per-call limit the call is committed: the pool is released and the producer waits for the attempt")
    func committedPastLimit() async throws {
        let pool = RetryBufferPool(limit: 1 << 20)
        let buffer = ReplayBuffer(limit: 1000, pool: pool)
        let produced = Atomic<Int>(0)
        let producer = Task {
            for index in 0..<100 {
                try await buffer.append(Self.message(300, UInt8(index)))
                produced.add(1, ordering: .relaxed)
            }
            buffer.finish()
        }
        // The producer stops a little past the limit while nobody reads.
        for _ in 0..<200 where produced.load(ordering: .relaxed) < 4 { await Task.yield() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(produced.load(ordering: .relaxed) <= 4, "the producer ran ahead of the attempt")
        #expect(buffer.isCommitted)
        #expect(pool.heldBytes == 0, "a committed call holds nothing in the client's pool")
        var index = 0
        while let bytes = try await buffer.message(at: index)?.bytes {
            #expect(bytes.first == UInt8(index))
            index += 1
        }
        #expect(index == 100)
        try await producer.value
        buffer.release()
    }

    @Test("When the client's pool is spent, a new retryable call is committed at once")
    func poolShared() async throws {
        let pool = RetryBufferPool(limit: 1000)
        let first = ReplayBuffer(limit: 800, pool: pool)
        try await first.append(Self.message(800))
        let second = ReplayBuffer(limit: 800, pool: pool)
        try await second.append(Self.message(300))
        #expect(!first.isCommitted)
        #expect(second.isCommitted)
        first.release()
        #expect(pool.heldBytes == 0)
        let third = ReplayBuffer(limit: 800, pool: pool)
        try await third.append(Self.message(300))
        #expect(!third.isCommitted)
        third.release()
        second.release()
    }
}
