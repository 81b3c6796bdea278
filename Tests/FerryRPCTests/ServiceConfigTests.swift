import FerryRPC
import Testing

@Suite("Service config: every field parsed or rejected")
struct ServiceConfigTests {
    @Test("Load balancing, throttling, wait-for-ready and hedging are read from JSON")
    func fullConfig() throws {
        let config = try ServiceConfig(
            json: """
                {"loadBalancingConfig": [{"grpclb": {}}, {"round_robin": {}}],
                 "retryThrottling": {"maxTokens": 10, "tokenRatio": 0.25},
                 "methodConfig": [
                   {"name": [{"service": "pkg.Svc", "method": "Get"}], "waitForReady": true,
                    "hedgingPolicy": {"maxAttempts": 7, "hedgingDelay": "0.5s",
                                      "nonFatalStatusCodes": ["UNAVAILABLE", 4]}},
                   {"name": [{"service": ""}], "waitForReady": false}
                 ]}
                """
        )
        #expect(config.loadBalancingPolicy == .roundRobin)
        #expect(config.retryThrottling == RetryThrottlingPolicy(maxTokens: 10, tokenRatio: 0.25))
        let get = try #require(config.config(for: MethodDescriptor(service: "pkg.Svc", method: "Get")))
        #expect(get.waitForReady == true)
        #expect(
            get.hedgingPolicy
                == HedgingPolicy(
                    maxAttempts: 5,
                    hedgingDelay: .milliseconds(500),
                    nonFatalStatusCodes: [.unavailable, .deadlineExceeded]
                )
        )
        #expect(config.config(for: MethodDescriptor(service: "a.B", method: "C"))?.waitForReady == false)
        #expect(try ServiceConfig(json: #"{"loadBalancingPolicy": "round_robin"}"#).loadBalancingPolicy == .roundRobin)
        #expect(
            try ServiceConfig(json: #"{"loadBalancingConfig": [{"pick_first": {"shuffleAddressList": true}}]}"#)
                .loadBalancingPolicy == .pickFirst(shuffleAddressList: true)
        )
        #expect(try ServiceConfig(json: "{}").loadBalancingPolicy == .pickFirst())
    }

    @Test(
        "Unknown or invalid fields fail with INVALID_ARGUMENT naming the field",
        arguments: [
            (#"{"methodConfigs": []}"#, "methodConfigs: unknown field"),
            (#"{"methodConfig": [{"name": [{}], "timout": "1s"}]}"#, "methodConfig[0].timout: unknown field"),
            (
                #"{"methodConfig": [{"name": [{"service": "a", "metod": "b"}]}]}"#,
                "methodConfig[0].name[0].metod: unknown field"
            ),
            (#"{"methodConfig": [{"name": [{"method": "Get"}]}]}"#, "a method name needs its service"),
            (#"{"methodConfig": [{"name": [{"service": "a"}]}, {"name": [{"service": "a"}]}]}"#, "duplicate name"),
            (#"{"methodConfig": [{"name": [{}]}, {"name": [{"service": ""}]}]}"#, "duplicate name"),
            (#"{"methodConfig": [{"name": [{}], "waitForReady": "yes"}]}"#, "waitForReady: must be true or false"),
            (#"{"methodConfig": [{"name": [{}], "timeout": "-1s"}]}"#, "timeout: '-1s' is not a duration"),
            (#"{"methodConfig": [{"name": [{}], "maxRequestMessageBytes": -5}]}"#, "must be a non-negative integer"),
            (
                #"{"methodConfig": [{"name": [{}], "hedgingPolicy": {"maxAttempts": 1}}]}"#,
                "hedgingPolicy.maxAttempts: must be > 1"
            ),
            (
                #"""
                {"methodConfig": [{"name": [{}], "hedgingPolicy": \#
                {"maxAttempts": 2, "nonFatalStatusCodes": ["NOPE"]}}]}
                """#,
                "unknown status code NOPE"
            ),
            (
                #"""
                {"methodConfig": [{"name": [{}], "hedgingPolicy": {"maxAttempts": 2}, \#
                "retryPolicy": {"maxAttempts": 2, "initialBackoff": "1s", "maxBackoff": "1s", \#
                "backoffMultiplier": 2, "retryableStatusCodes": [14]}}]}
                """#,
                "exclusive"
            ),
            (
                #"""
                {"methodConfig": [{"name": [{}], "retryPolicy": {"maxAttempts": 2, \#
                "initialBackoff": "1s", "maxBackoff": "1s", "backoffMultiplier": 2, \#
                "retryableStatusCodes": [14], "perAttemptRecvTimeout": "1s"}}]}
                """#,
                "retryPolicy.perAttemptRecvTimeout: unknown field"
            ),
            (#"{"retryThrottling": {"maxTokens": 1001, "tokenRatio": 1}}"#, "maxTokens: must be in 1...1000"),
            (#"{"retryThrottling": {"maxTokens": 10}}"#, "maxTokens and tokenRatio are required"),
            (#"{"retryThrottling": {"maxTokens": 10, "tokenRatio": 0}}"#, "tokenRatio: must be > 0"),
            (#"{"loadBalancingConfig": [{"grpclb": {}}]}"#, "none of [\"grpclb\"] is supported"),
            (#"{"loadBalancingConfig": [{"round_robin": {}, "pick_first": {}}]}"#, "exactly one policy"),
            (#"{"loadBalancingConfig": [{"round_robin": {"x": 1}}]}"#, "round_robin.x: unknown field"),
            (#"{"loadBalancingPolicy": "grpclb"}"#, "unsupported policy 'grpclb'"),
            (#"{"healthCheckConfig": {"serviceName": ""}}"#, "not supported by Ferry"),
            (#"[]"#, "must be an object"),
        ]
    )
    func rejected(json: String, message: String) {
        do {
            _ = try ServiceConfig(json: json)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test("Connection backoff follows gRPC's schedule: 1 s, then ×1.6 with ±20 % jitter, capped at 120 s")
    func connectionBackoff() {
        let start = ContinuousClock.now
        var schedule = ConnectionBackoff().schedule()
        // No jitter on the first attempt; the connect timeout is at least 20 s.
        let first = schedule.nextAttempt(now: start, random: { 0.999 })
        #expect(first.nextAttemptAt == start.advanced(by: .seconds(1)))
        #expect(first.connectTimeout == .seconds(20))
        // random 0.5 is the middle of the jitter range: exactly the grown backoff.
        let second = schedule.nextAttempt(now: start, random: { 0.5 })
        #expect(second.nextAttemptAt == start.advanced(by: .milliseconds(1600)))
        // random 0 is the low end: 2.56 s - 20 %.
        let third = schedule.nextAttempt(now: start, random: { 0 })
        #expect(third.nextAttemptAt == start.advanced(by: .milliseconds(2048)))
        var delays: [Duration] = []
        for _ in 0..<20 { delays.append(schedule.nextAttempt(now: start, random: { 0.5 }).nextAttemptAt - start) }
        #expect(delays.last == .seconds(120))
        #expect(schedule.nextAttempt(now: start, random: { 0.999_999 }).connectTimeout > .seconds(143))
        // A fresh schedule starts over.
        var again = ConnectionBackoff(initialBackoff: .milliseconds(10), minConnectTimeout: .zero).schedule()
        #expect(again.nextAttempt(now: start).connectTimeout == .milliseconds(10))
    }

    @Test("The retry throttle allows retries only while more than half its tokens are left")
    func throttleArithmetic() {
        let throttle = RetryThrottle(policy: RetryThrottlingPolicy(maxTokens: 10, tokenRatio: 0.5))
        #expect(throttle.isRetryPermitted)
        for _ in 0..<4 { throttle.recordFailure() }
        #expect(throttle.tokens == 6)
        #expect(throttle.isRetryPermitted)
        throttle.recordFailure()
        #expect(throttle.tokens == 5)
        #expect(!throttle.isRetryPermitted)
        throttle.recordSuccess()
        #expect(throttle.tokens == 5.5)
        #expect(throttle.isRetryPermitted)
        for _ in 0..<100 { throttle.recordFailure() }
        #expect(throttle.tokens == 0)
        for _ in 0..<100 { throttle.recordSuccess() }
        #expect(throttle.tokens == 10)
    }
}
