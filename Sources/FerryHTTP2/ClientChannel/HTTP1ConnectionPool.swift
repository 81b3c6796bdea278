import FerryRPC
import NIOCore
import Synchronization

/// The HTTP/1.1 connections of one subchannel: HTTP/1.1 carries one call at a time per connection,
/// so a call leases an idle connection, or opens a new one while fewer than
/// ``ChannelConfiguration/maxHTTP1ConnectionsPerAddress`` are open, or waits for one to come back.
///
/// The pool starts with the connection its subchannel made. Connections that close (the server
/// ended an idle keep-alive connection, or a cancelled call closed its own) just leave the pool;
/// the next call that finds none idle opens another. When opening one fails, the pool closes: its
/// subchannel goes IDLE, as when an HTTP/2 connection is lost, and the channel reconnects on its
/// backoff schedule; the call that could not connect is retried transparently (nothing was sent).
final class HTTP1ConnectionPool: Sendable {
    /// One pooled connection.
    struct Connection: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<HTTP1ClientHandler>
        let outbox: OutboxHandle<HTTP1ClientHandler>
    }

    /// What a call asking for a connection gets.
    private enum Grant {
        case connection(Connection)
        case connect
        case wait
        case failed(RPCError)
    }

    private struct State {
        var idle: [Connection] = []
        /// Connections open or being opened (leased, idle or connecting).
        var open = 0
        var waiters: [(id: Int, continuation: CheckedContinuation<Grant, Never>)] = []
        var nextWaiter = 0
        /// No more leases: shut down, or a connection could not be opened.
        var shutDown = false
        /// ``closeFuture`` completed.
        var completed = false
    }

    private let state = Mutex(State())
    private let address: ResolvedAddress
    private let connector: ClientConnector
    private let maxConnections: Int
    private let connectTimeout: Duration
    private let closed: EventLoopPromise<Void>

    /// A pool holding `first`, the connection its subchannel made.
    init(
        first: Connection,
        address: ResolvedAddress,
        connector: ClientConnector,
        maxConnections: Int,
        connectTimeout: Duration
    ) {
        self.address = address
        self.connector = connector
        self.maxConnections = max(1, maxConnections)
        self.connectTimeout = connectTimeout
        self.closed = first.channel.eventLoop.makePromise()
        state.withLock { $0.open = 1 }
        adopt(first)
        returned(first)
    }

    /// Completes when a new connection could not be opened, or when the pool was shut down and its
    /// connections closed.
    var closeFuture: EventLoopFuture<Void> { closed.futureResult }

    /// Whether calls may lease connections.
    var isUsable: Bool { state.withLock { !$0.shutDown } }

    /// A connection for one call, exclusively until the call releases it (its handler then hands it
    /// back, or closes it).
    ///
    /// - Throws: UNAVAILABLE when a new connection cannot be made or the pool closed (refused, so
    ///   the call may be retried on another connection); CANCELLED when the calling task is
    ///   cancelled (its deadline passed) while it waits.
    func lease() async throws(RPCError) -> Connection {
        var grant = state.withLock { Self.take(&$0, max: maxConnections) }
        // A wait ends in one of the other grants (a connection, leave to connect, or a failure).
        if case .wait = grant { grant = await waitForTurn() }
        switch grant {
        case .connection(let connection):
            return connection
        case .failed(let error):
            throw error
        case .wait:
            // Not reached: waitForTurn() resumes only with the other grants.
            throw RPCError(code: .internalError, message: "An HTTP/1.1 connection lease ended without a grant.")
        case .connect:
            do {
                let connection = try await connector.connectHTTP1(to: address, timeout: connectTimeout).get()
                adopt(connection)
                return connection
            } catch {
                // The server is gone or refuses: the subchannel takes over reconnecting.
                connectionGone(failed: true)
                let reason = (error as? RPCError)?.message ?? "\(error)"
                throw RPCError(
                    code: .unavailable,
                    message: "Cannot connect to \(address): \(reason)",
                    cause: StreamRefusedError()
                )
            }
        }
    }

    /// An idle connection, leave to connect, or the need to wait.
    private static func take(_ state: inout State, max: Int) -> Grant {
        if state.shutDown {
            return .failed(
                RPCError(
                    code: .unavailable,
                    message: "The HTTP/1.1 connections are closing.",
                    cause: StreamRefusedError()
                )
            )
        }
        while let connection = state.idle.popLast() {
            if connection.channel.isActive { return .connection(connection) }
        }
        if state.open < max {
            state.open += 1
            return .connect
        }
        return .wait
    }

    /// Waits until a connection comes back or closes (then the caller may connect), or the task is
    /// cancelled.
    private func waitForTurn() async -> Grant {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Grant, Never>) in
                let immediate = state.withLock { state -> Grant? in
                    if Task.isCancelled { return Self.cancelled }
                    let grant = Self.take(&state, max: maxConnections)
                    guard case .wait = grant else { return grant }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Grant, Never>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(returning: Self.cancelled)
        }
    }

    private static let cancelled = Grant.failed(
        RPCError(code: .cancelled, message: "The call was cancelled while it waited for an HTTP/1.1 connection.")
    )

    /// Watches a new connection: it comes back when its call completed, and leaves the pool when
    /// it closes.
    private func adopt(_ connection: Connection) {
        let handler = connection.handler
        connection.channel.eventLoop.execute {
            handler.value.onReusable = { [weak self] in self?.returned(connection) }
        }
        connection.channel.closeFuture.whenComplete { [weak self] _ in
            self?.connectionGone(connection.channel)
        }
    }

    /// A connection is free: to the first waiter, or idle (closed, once the pool is shut down).
    private func returned(_ connection: Connection) {
        enum Next {
            case idle
            case waiter(CheckedContinuation<Grant, Never>)
            case close
        }
        let next = state.withLock { state -> Next in
            if state.shutDown { return .close }
            if state.waiters.isEmpty {
                state.idle.append(connection)
                return .idle
            }
            return .waiter(state.waiters.removeFirst().continuation)
        }
        switch next {
        case .idle: break
        case .waiter(let waiter): waiter.resume(returning: .connection(connection))
        case .close: shutDownGracefully(connection)
        }
    }

    /// A connection closed, or failed to open (`failed`, which closes the pool): a waiter may open
    /// another. Waiters left when the pool closes fail as refused, so that the channel picks again.
    private func connectionGone(_ channel: (any Channel)? = nil, failed: Bool = false) {
        let refused = RPCError(
            code: .unavailable,
            message: "The HTTP/1.1 connections to \(address) are closing.",
            cause: StreamRefusedError()
        )
        let (waiters, grant, complete, idle) = state.withLock {
            state -> ([CheckedContinuation<Grant, Never>], Grant, Bool, [Connection]) in
            if let channel { state.idle.removeAll { $0.channel === channel } }
            state.open -= 1
            if failed { state.shutDown = true }
            if state.shutDown {
                defer {
                    state.waiters = []
                    state.idle = []
                }
                let complete = !state.completed && (failed || state.open == 0)
                if complete { state.completed = true }
                return (state.waiters.map(\.continuation), .failed(refused), complete, state.idle)
            }
            guard !state.waiters.isEmpty else { return ([], .wait, false, []) }
            state.open += 1
            return ([state.waiters.removeFirst().continuation], .connect, false, [])
        }
        for waiter in waiters { waiter.resume(returning: grant) }
        for connection in idle { shutDownGracefully(connection) }
        if complete { closed.succeed() }
    }

    /// Stops leasing; idle connections close now, leased ones once their calls end.
    func shutDownGracefully() {
        let (idle, waiters, complete) = state.withLock {
            state -> ([Connection], [CheckedContinuation<Grant, Never>], Bool) in
            state.shutDown = true
            defer {
                state.idle = []
                state.waiters = []
            }
            let complete = !state.completed && state.open == 0
            if complete { state.completed = true }
            return (state.idle, state.waiters.map(\.continuation), complete)
        }
        let refused = RPCError(code: .unavailable, message: "The channel is closing.", cause: StreamRefusedError())
        for waiter in waiters { waiter.resume(returning: .failed(refused)) }
        // Leased connections close when their calls release them (``returned(_:)``).
        for connection in idle { shutDownGracefully(connection) }
        if complete { closed.succeed() }
    }

    private func shutDownGracefully(_ connection: Connection) {
        let handler = connection.handler
        connection.channel.eventLoop.execute { handler.value.beginGracefulShutdown() }
    }
}
