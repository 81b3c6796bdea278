import FerryRPC
import NIOCore
import Synchronization

/// A channel's connection to one resolved address: connects when asked, retries failed attempts on
/// gRPC's connection backoff schedule, and reports each change of its connectivity state.
///
/// A ready connection that is lost (closed, or GOAWAY received) takes the subchannel back to IDLE;
/// the load balancer decides whether to connect again. Its connect loop is a task the subchannel
/// owns and cancels on ``shutDown()``.
final class Subchannel: Sendable {
    let address: ResolvedAddress
    private let connector: ClientConnector
    private let backoff: ConnectionBackoff
    private let clock: any RPCClock
    /// Called (outside the subchannel's lock) after every state change.
    private let onChange: @Sendable () -> Void

    private struct State {
        var connectivity = ConnectivityState.idle
        var connection: ClientConnection?
        var task: Task<Void, Never>?
        /// Increases with every connect loop, so a loop that was replaced changes nothing.
        var generation = 0
        var lastError: RPCError?
        var attempts = 0
    }

    private let state = Mutex(State())

    init(
        address: ResolvedAddress,
        connector: ClientConnector,
        backoff: ConnectionBackoff,
        clock: any RPCClock,
        onChange: @escaping @Sendable () -> Void
    ) {
        self.address = address
        self.connector = connector
        self.backoff = backoff
        self.clock = clock
        self.onChange = onChange
    }

    /// The current state; a ready subchannel whose connection stopped taking streams counts as idle.
    var connectivity: ConnectivityState {
        refreshIfLost()
        return state.withLock { $0.connectivity }
    }

    /// Why the last connection attempt failed.
    var lastError: RPCError? { state.withLock { $0.lastError } }

    /// How many connection attempts this subchannel made.
    var attempts: Int { state.withLock { $0.attempts } }

    /// The connection, when ready and still taking streams.
    func readyConnection() -> ClientConnection? {
        refreshIfLost()
        return state.withLock { state in
            guard state.connectivity == .ready, let connection = state.connection, connection.isUsable else {
                return nil
            }
            return connection
        }
    }

    /// Starts connecting when idle; otherwise nothing (a failing subchannel retries on its own).
    func requestConnection() {
        let started = state.withLock { state -> Bool in
            guard state.connectivity == .idle, state.task == nil else { return false }
            state.generation += 1
            let generation = state.generation
            state.connectivity = .connecting
            state.task = Task { await self.connectLoop(generation: generation) }
            return true
        }
        if started { onChange() }
    }

    /// Stops connecting and closes the connection gracefully (open streams finish); the subchannel
    /// goes IDLE and may be asked to connect again.
    func reset() {
        stop(becoming: .idle)
        onChange()
    }

    /// Stops for good; returns the connection so the caller can wait for it to close.
    @discardableResult
    func shutDown() -> ClientConnection? {
        stop(becoming: .shutdown)
    }

    /// Cancels the connect loop and closes the connection gracefully, leaving the subchannel in
    /// `final` (a shut-down subchannel stays so).
    @discardableResult
    private func stop(becoming final: ConnectivityState) -> ClientConnection? {
        let (task, connection) = state.withLock { state -> (Task<Void, Never>?, ClientConnection?) in
            guard state.connectivity != .shutdown else { return (nil, nil) }
            state.generation += 1
            state.connectivity = final
            defer {
                state.task = nil
                state.connection = nil
            }
            return (state.task, state.connection)
        }
        task?.cancel()
        connection?.shutDownGracefully()
        return connection
    }

    /// A ready connection that received GOAWAY or closed no longer counts: back to IDLE. The
    /// channel hears of it from a new task, because it may be asking while it holds its own lock.
    private func refreshIfLost() {
        let lost = state.withLock { state -> Bool in
            guard state.connectivity == .ready, let connection = state.connection, !connection.isUsable else {
                return false
            }
            state.generation += 1
            state.connectivity = .idle
            state.connection = nil
            state.task = nil
            return true
        }
        if lost {
            let onChange = self.onChange
            Task { onChange() }
        }
    }

    private func update(_ generation: Int, _ change: (inout State) -> Void) -> Bool {
        let applied = state.withLock { state -> Bool in
            guard state.generation == generation else { return false }
            change(&state)
            return true
        }
        if applied { onChange() }
        return applied
    }

    private func connectLoop(generation: Int) async {
        var schedule = backoff.schedule()
        while !Task.isCancelled {
            let plan = schedule.nextAttempt(now: clock.now)
            guard
                update(
                    generation,
                    {
                        $0.connectivity = .connecting
                        $0.attempts += 1
                    }
                )
            else { return }
            let connection: ClientConnection
            do {
                connection = try await connector.connect(to: address, timeout: plan.connectTimeout).get()
            } catch {
                let reason = RPCError(
                    code: .unavailable,
                    message: "Cannot connect to \(address): \((error as? RPCError)?.message ?? "\(error)")",
                    cause: error
                )
                guard
                    update(
                        generation,
                        {
                            $0.connectivity = .transientFailure
                            $0.lastError = reason
                        }
                    )
                else { return }
                do { try await clock.sleep(until: plan.nextAttemptAt) } catch { return }
                continue
            }
            guard
                update(
                    generation,
                    {
                        $0.connectivity = .ready
                        $0.connection = connection
                        $0.lastError = nil
                    }
                )
            else {
                connection.shutDownGracefully()
                return
            }
            // Ready: wait for the connection to go, then hand the decision to reconnect back.
            try? await connection.closeFuture.get()
            _ = update(generation) { state in
                state.connectivity = .idle
                state.connection = nil
                state.task = nil
            }
            return
        }
    }
}
