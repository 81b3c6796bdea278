import FerryRPC
import NIOCore
import Synchronization

/// Parts written by callers' tasks, waiting for the connection's event loop.
///
/// Writers append without waiting for the event loop; the first append after a drain asks the
/// caller to schedule one (``append(_:)`` returns true), so parts written close together — the
/// headers, message and status of a unary response, or the responses of many calls finishing at
/// once — are submitted to the session together and leave in one socket write.
final class ConnectionOutbox: Sendable {
    /// What callers queue. Message parts and client messages carry bytes already framed as
    /// Length-Prefixed-Messages (and compressed), done in the writer's task.
    enum Item: Sendable {
        case serverPart(Int32, RPCResponsePart)
        case serverFinish(Int32)
        case clientOpen(PendingClientStream)
        case clientMessage(PendingClientStream, [UInt8])
        case clientFinish(PendingClientStream)
        case clientRelease(PendingClientStream)
    }

    private struct State {
        var items: [Item] = []
        var drainScheduled = false
    }

    private let state = Mutex(State())

    /// Queues an item; true when no drain is scheduled yet and the caller must schedule one.
    func append(_ item: Item) -> Bool {
        state.withLock { state in
            state.items.append(item)
            if state.drainScheduled { return false }
            state.drainScheduled = true
            return true
        }
    }

    /// Takes every queued item into `batch` (event loop); appends after this schedule a new drain.
    ///
    /// The batch and the queue trade buffers: the caller's emptied batch becomes the queue, so in a
    /// steady state neither side allocates (a fresh array per drain grew through three or four
    /// allocations per call).
    func take(into batch: inout [Item]) {
        batch.removeAll(keepingCapacity: true)
        state.withLock { state in
            state.drainScheduled = false
            swap(&state.items, &batch)
        }
    }
}

/// A connection handler that owns an outbox and drains it on its event loop.
protocol OutboxDraining: AnyObject, SendableMetatype {
    /// The parts callers' tasks queued for this connection.
    var outbox: ConnectionOutbox { get }
    /// The connection's event loop.
    var eventLoop: any EventLoop { get }
    /// Carries out everything queued (event loop).
    func drainOutbox()
}

/// What a caller's task holds to queue parts for one connection, from any thread.
struct OutboxHandle<Handler: OutboxDraining>: Sendable {
    private let outbox: ConnectionOutbox
    private let handler: NIOLoopBound<Handler>
    private let eventLoop: any EventLoop

    /// A handle on `handler`'s outbox (created on its event loop).
    init(_ handler: Handler) {
        self.outbox = handler.outbox
        self.eventLoop = handler.eventLoop
        self.handler = NIOLoopBound(handler, eventLoop: handler.eventLoop)
    }

    /// Queues `item` and schedules a drain on the event loop if none is pending.
    func enqueue(_ item: ConnectionOutbox.Item) {
        if outbox.append(item) {
            let handler = handler
            eventLoop.execute { handler.value.drainOutbox() }
        }
    }
}

/// A client stream a caller asked for: the event loop opens it when it drains the outbox, so the
/// caller never waits for the stream id; its later parts name this object.
final class PendingClientStream: Sendable {
    let path: String
    let metadata: Metadata
    let options: ClientStreamOptions
    let inbound: StreamBuffer<RPCResponsePart>
    let gate: StreamWriteGate
    /// The call's envelope (gRPC, Connect, gRPC-Web).
    let wire: WireProtocol
    /// The compression of a Connect unary request body (`content-encoding`).
    let bodyEncoding: CompressionAlgorithm?
    /// The HTTP/2 stream id once opened; 0 before, or when opening failed.
    private let id = Atomic<Int32>(0)

    init(
        path: String,
        metadata: Metadata,
        options: ClientStreamOptions,
        inbound: StreamBuffer<RPCResponsePart>,
        gate: StreamWriteGate,
        wire: WireProtocol = .grpc,
        bodyEncoding: CompressionAlgorithm? = nil
    ) {
        self.wire = wire
        self.bodyEncoding = bodyEncoding
        self.path = path
        self.metadata = metadata
        self.options = options
        self.inbound = inbound
        self.gate = gate
    }

    var streamID: Int32 {
        get { id.load(ordering: .relaxed) }
        set { id.store(newValue, ordering: .relaxed) }
    }

    /// Why a stream cannot open on a connection that is closing: refused, so that it is retried.
    static let connectionClosing = RPCError(
        code: .unavailable,
        message: "The connection is closing.",
        cause: StreamRefusedError()
    )

    /// Ends a stream that did not open: its reader and its writer get `error`.
    func fail(_ error: RPCError) {
        inbound.finish(throwing: error)
        gate.close(error)
    }

    /// The request's header block (HTTP/2 form, pseudo-headers first), with the time left to the
    /// deadline; nil, having failed the stream, when the deadline already passed.
    func requestHeaders(authority: String, acceptEncoding: String?) -> [HeaderField]? {
        let timeout = options.deadline.map { $0 - ContinuousClock.now }
        if let timeout, timeout <= .zero {
            fail(RPCError(code: .deadlineExceeded, message: "The deadline passed before the call started."))
            return nil
        }
        return HeaderCoding.requestHeaders(
            path: path,
            authority: authority,
            timeout: timeout,
            metadata: metadata,
            encoding: wire == .connectUnary ? bodyEncoding : options.compression,
            acceptEncoding: acceptEncoding,
            wire: wire
        )
    }
}
