import FerryRPC
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Name resolution (with backoff and periodic refresh) and the idle timeout.
extension HTTP2ClientTransport {
    // MARK: Resolution

    func startResolution(_ state: inout State) -> () -> Void {
        state.resolving = true
        state.scheduledResolution?.cancel()
        state.scheduledResolution = nil
        return { Task { await self.resolve() } }
    }

    /// Resolves again now, or at the earliest the resolver's minimum interval after the last time.
    func requestResolution(_ state: inout State) -> () -> Void {
        guard !state.resolving, state.scheduledResolution == nil else { return {} }
        let earliest = state.lastResolution.map { $0.advanced(by: resolver.minimumInterval) } ?? clock.now
        if earliest <= clock.now { return startResolution(&state) }
        let clock = self.clock
        state.scheduledResolution = Task { [weak self] in
            do { try await clock.sleep(until: earliest) } catch { return }
            self?.state.withLock { $0.scheduledResolution = nil }
            self?.resolveIfIdle()
        }
        return {}
    }

    func resolveIfIdle() {
        let action = state.withLock { state -> (() -> Void)? in
            guard !state.shutdown, !state.resolving else { return nil }
            return startResolution(&state)
        }
        action?()
    }

    func resolve() async {
        let outcome: Result<NameResolution, RPCError>
        do {
            outcome = .success(try await resolver.resolve())
        } catch {
            outcome = .failure(error)
        }
        var removed: [Subchannel] = []
        var retryAfter: ContinuousClock.Instant?
        let proceed = state.withLock { state -> Bool in
            guard !state.shutdown else { return false }
            state.resolving = false
            state.lastResolution = clock.now
            switch outcome {
            case .success(let resolution) where !resolution.addresses.isEmpty:
                state.resolved = true
                state.resolutionError = nil
                state.resolutionBackoff = nil
                if let config = resolution.serviceConfig { state.serviceConfig = config }
                var addresses = Array(resolution.addresses.prefix(configuration.maxAddresses))
                if case .pickFirst(shuffleAddressList: true) = state.serviceConfig.loadBalancingPolicy {
                    addresses.shuffle()
                }
                var kept: [Subchannel] = []
                for address in addresses where !kept.contains(where: { $0.address == address }) {
                    if let existing = state.subchannels.first(where: { $0.address == address }) {
                        kept.append(existing)
                    } else {
                        kept.append(
                            Subchannel(
                                address: address,
                                connector: connector,
                                backoff: configuration.backoff,
                                clock: clock,
                                onChange: { [weak self] in self?.subchannelChanged() }
                            )
                        )
                    }
                }
                removed = state.subchannels.filter { old in !kept.contains { $0 === old } }
                state.subchannels = kept
                if let interval = resolver.refreshInterval {
                    state.refreshTask?.cancel()
                    let clock = self.clock
                    state.refreshTask = Task { [weak self] in
                        do { try await clock.sleep(for: interval) } catch { return }
                        self?.resolveIfIdle()
                    }
                }
            case .success:
                state.resolutionError = RPCError(
                    code: .unavailable,
                    message: "The name resolver returned no addresses."
                )
                if !state.resolved { state.connectivity = .transientFailure }
                retryAfter = nextResolutionRetry(&state)
            case .failure(let error):
                state.resolutionError = error
                if !state.resolved { state.connectivity = .transientFailure }
                retryAfter = nextResolutionRetry(&state)
            }
            return true
        }
        guard proceed else { return }
        for subchannel in removed { subchannel.shutDown() }
        if let retryAfter {
            let clock = self.clock
            let task = Task { [weak self] in
                do { try await clock.sleep(until: retryAfter) } catch { return }
                self?.state.withLock { $0.scheduledResolution = nil }
                self?.resolveIfIdle()
            }
            state.withLock { $0.scheduledResolution = task }
        }
        subchannelChanged()
    }

    /// When a failed resolution is tried again: on the connection backoff schedule.
    func nextResolutionRetry(_ state: inout State) -> ContinuousClock.Instant {
        var schedule = state.resolutionBackoff ?? configuration.backoff.schedule()
        let plan = schedule.nextAttempt(now: clock.now)
        state.resolutionBackoff = schedule
        return plan.nextAttemptAt
    }

    // MARK: Idleness

    func streamStarted() {
        state.withLock { state in
            state.activeStreams += 1
            state.lastActivity = clock.now
        }
    }

    func streamEnded() {
        state.withLock { state in
            state.activeStreams -= 1
            state.lastActivity = clock.now
        }
    }

    /// Watches for ``ChannelConfiguration/idleTimeout`` without calls, then closes every
    /// connection and goes IDLE; the next call reconnects.
    func makeIdleTask() -> Task<Void, Never>? {
        guard let timeout = configuration.idleTimeout else { return nil }
        let clock = self.clock
        return Task { [weak self] in
            // No strong reference is held while sleeping, so an abandoned channel is freed.
            while let due = self?.state.withLock({ $0.lastActivity.advanced(by: timeout) }) {
                do { try await clock.sleep(until: due) } catch { return }
                guard let self else { return }
                let idle = self.state.withLock { state -> [Subchannel]? in
                    guard !state.shutdown else { return [] }
                    guard state.activeStreams == 0, state.lastActivity.advanced(by: timeout) <= clock.now else {
                        return nil
                    }
                    state.idleTask = nil
                    state.connectivity = .idle
                    return state.subchannels
                }
                guard let idle else { continue }
                for subchannel in idle { subchannel.reset() }
                return
            }
        }
    }
}
