import FerryRPC
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Picking a connection for a call, and following the subchannels' state changes.
extension HTTP2ClientTransport {
    // MARK: Picking a connection

    /// A ready connection per the load-balancing policy; waits while the channel connects, and in
    /// TRANSIENT_FAILURE fails at once unless `waitForReady`.
    func pickConnection(waitForReady: Bool) async throws(RPCError) -> ClientConnection {
        while true {
            enum Step {
                case picked(ClientConnection)
                case failed(RPCError)
                case wait(id: Int, epoch: Int)
            }
            var actions: [() -> Void] = []
            let step = state.withLock { state -> Step in
                if state.shutdown {
                    return .failed(RPCError(code: .unavailable, message: "The client transport is shut down."))
                }
                state.lastActivity = clock.now
                if !state.resolved {
                    if !state.resolving { actions.append(startResolution(&state)) }
                    if let error = state.resolutionError, !waitForReady { return .failed(error) }
                } else if let connection = pick(&state) {
                    return .picked(connection)
                } else {
                    if state.connectivity == .transientFailure, !waitForReady {
                        return .failed(failure(state))
                    }
                    actions.append(contentsOf: exitIdle(&state))
                }
                state.nextID += 1
                return .wait(id: state.nextID, epoch: state.epoch)
            }
            for action in actions { action() }
            switch step {
            case .picked(let connection):
                return connection
            case .failed(let error):
                throw error
            case .wait(let id, let epoch):
                await waitForChange(id, after: epoch)
                if Task.isCancelled { throw RPCError(code: .cancelled, message: "The call was cancelled.") }
            }
        }
    }

    func pick(_ state: inout State) -> ClientConnection? {
        switch state.serviceConfig.loadBalancingPolicy {
        case .pickFirst:
            for subchannel in state.subchannels {
                if let connection = subchannel.readyConnection() { return connection }
            }
            return nil
        case .roundRobin:
            let count = state.subchannels.count
            guard count > 0 else { return nil }
            for offset in 0..<count {
                let index = (state.nextPick + offset) % count
                if let connection = state.subchannels[index].readyConnection() {
                    state.nextPick = index + 1
                    return connection
                }
            }
            return nil
        }
    }

    func failure(_ state: State) -> RPCError {
        let reason = state.subchannels.compactMap(\.lastError).first ?? state.resolutionError
        return RPCError(
            code: .unavailable,
            message:
                """
                No connection is ready (the channel is in TRANSIENT_FAILURE): \
                \(reason?.message ?? "every address failed")
                """,
            cause: reason
        )
    }

    /// Starts connecting as the policy wants: pick_first the first subchannel that has not failed
    /// (the next after each failure), round_robin every idle one.
    func exitIdle(_ state: inout State) -> [() -> Void] {
        switch state.serviceConfig.loadBalancingPolicy {
        case .pickFirst:
            let states = state.subchannels.map(\.connectivity)
            if states.contains(.connecting) || states.contains(.ready) { return [] }
            guard let next = state.subchannels.first(where: { $0.connectivity == .idle }) else { return [] }
            return [{ next.requestConnection() }]
        case .roundRobin:
            return state.subchannels.filter { $0.connectivity == .idle }.map { subchannel in
                { subchannel.requestConnection() }
            }
        }
    }

    /// Waits for the next change after `epoch` (at once when one already happened).
    func waitForChange(_ id: Int, after epoch: Int) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let registered = state.withLock { state -> Bool in
                    guard !state.shutdown, !Task.isCancelled, state.epoch == epoch else { return false }
                    state.waiters[id] = continuation
                    return true
                }
                if !registered { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }

    // MARK: State changes

    /// A subchannel changed: recompute the channel's state, start what the policy wants, wake the
    /// calls waiting for a connection and tell observers.
    func subchannelChanged() {
        var actions: [() -> Void] = []
        let (waiters, observers, snapshot) = state.withLock {
            state -> (
                [CheckedContinuation<Void, Never>], [AsyncStream<ChannelConnectivity>.Continuation],
                ChannelConnectivity?
            ) in
            guard !state.shutdown else { return ([], [], nil) }
            state.epoch += 1
            let states = state.subchannels.map(\.connectivity)
            let previous = state.connectivity
            if states.contains(.ready) {
                state.connectivity = .ready
            } else if !states.isEmpty, states.allSatisfy({ $0 == .transientFailure }) {
                state.connectivity = .transientFailure
            } else if previous == .transientFailure, !states.isEmpty, !states.allSatisfy({ $0 == .idle }) {
                // Sticky: stay in TRANSIENT_FAILURE while retrying, until a connection is ready.
                state.connectivity = .transientFailure
            } else if states.contains(.connecting) || states.contains(.transientFailure) {
                state.connectivity = .connecting
            } else {
                state.connectivity = .idle
            }
            switch state.serviceConfig.loadBalancingPolicy {
            case .pickFirst:
                if states.contains(.ready) {
                    // The first ready address wins; stop the others' attempts.
                    let winner = state.subchannels.firstIndex { $0.connectivity == .ready }
                    for (index, subchannel) in state.subchannels.enumerated()
                    where index != winner && subchannel.connectivity != .idle {
                        actions.append { subchannel.reset() }
                    }
                } else if states.contains(.transientFailure), !states.contains(.connecting) {
                    // The address being tried failed: try the next.
                    actions.append(contentsOf: exitIdle(&state))
                }
            case .roundRobin:
                if previous != .idle || !state.waiters.isEmpty { actions.append(contentsOf: exitIdle(&state)) }
            }
            // A subchannel that was READY and is not any more lost its connection: the addresses
            // may have changed.
            let before = state.lastPublished?.subchannels ?? []
            let lost = zip(state.subchannels, states).contains { subchannel, now in
                now != .ready && before.contains { $0.address == subchannel.address && $0.state == .ready }
            }
            if lost {
                actions.append(requestResolution(&state))
            }
            if state.connectivity == .transientFailure, previous != .transientFailure {
                actions.append(requestResolution(&state))
            }
            if state.connectivity != .idle, state.idleTask == nil {
                state.idleTask = makeIdleTask()
            }
            let snapshot = ChannelConnectivity(
                state: state.connectivity,
                subchannels: zip(state.subchannels, states).map { ($0.address, $1) }
            )
            let changed = snapshot != state.lastPublished
            state.lastPublished = snapshot
            defer { state.waiters.removeAll() }
            return (Array(state.waiters.values), changed ? Array(state.observers.values) : [], changed ? snapshot : nil)
        }
        for action in actions { action() }
        for waiter in waiters { waiter.resume() }
        if let snapshot { for observer in observers { observer.yield(snapshot) } }
    }
}
