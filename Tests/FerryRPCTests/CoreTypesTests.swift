import FerryRPC
import Testing

@Suite("Status, metadata, descriptors and service config")
struct CoreTypesTests {
    @Test("All 17 gRPC status codes have their numbers and names")
    func statusCodes() {
        let names = Status.Code.allCases.map(\.name)
        #expect(
            names == [
                "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
                "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
                "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
            ]
        )
        #expect(Status.Code.allCases.map(\.rawValue) == Array(0...16))
        #expect(Status.Code(wireValue: 99) == .unknown)
        #expect(Status.Code(rawValue: 17) == nil)
        #expect(Status.Code(name: "unavailable") == .unavailable)
    }

    @Test("Metadata lowercases keys, keeps order and stores -bin values as bytes")
    func metadata() {
        var metadata: Metadata = ["X-Trace": "abc", "x-trace": "def"]
        metadata.addString("raw", forKey: "blob-bin")
        metadata.addBinary([0xFF, 0], forKey: "Other-Bin")
        #expect(metadata[stringValues: "x-trace"] == ["abc", "def"])
        #expect(metadata[binaryValues: "blob-bin"] == [Array("raw".utf8)])
        #expect(metadata[binaryValues: "other-bin"] == [[0xFF, 0]])
        #expect(metadata.map(\.key) == ["x-trace", "x-trace", "blob-bin", "other-bin"])
        metadata.replaceOrAddString("z", forKey: "X-TRACE")
        #expect(metadata[stringValues: "x-trace"] == ["z"])
    }

    @Test("Method descriptors parse and print /package.Service/Method paths")
    func descriptors() {
        let descriptor = MethodDescriptor(service: "grpc.testing.TestService", method: "UnaryCall")
        #expect(descriptor.path == "/grpc.testing.TestService/UnaryCall")
        #expect(MethodDescriptor(path: descriptor.path) == descriptor)
        #expect(MethodDescriptor(path: "/only") == nil)
        #expect(MethodDescriptor(path: "//Method") == nil)
        #expect(MethodDescriptor(path: "no/slash") == nil)
    }

    @Test("A gRPC service config's retry policy, timeout and limits are parsed and matched")
    func serviceConfig() throws {
        let json = """
            {"methodConfig": [
              {"name": [{"service": "pkg.Svc", "method": "Get"}], "timeout": "1.5s",
               "maxRequestMessageBytes": "1024",
               "retryPolicy": {"maxAttempts": 9, "initialBackoff": "0.1s", "maxBackoff": "1s",
                               "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE", 10]}},
              {"name": [{"service": "pkg.Svc"}], "timeout": "0.000001s"},
              {"name": [{}], "maxResponseMessageBytes": 77}
            ]}
            """
        let config = try ServiceConfig(json: json)
        let get = try #require(config.config(for: MethodDescriptor(service: "pkg.Svc", method: "Get")))
        #expect(get.timeout == .milliseconds(1500))
        #expect(get.maxRequestMessageBytes == 1024)
        let policy = try #require(get.retryPolicy)
        #expect(policy.maxAttempts == 5)
        #expect(policy.initialBackoff == .milliseconds(100))
        #expect(policy.retryableStatusCodes == [.unavailable, .aborted])
        let other = try #require(config.config(for: MethodDescriptor(service: "pkg.Svc", method: "Put")))
        #expect(other.timeout == .microseconds(1))
        let fallback = try #require(config.config(for: MethodDescriptor(service: "x.Y", method: "Z")))
        #expect(fallback.maxResponseMessageBytes == 77)
    }

    @Test(
        "Invalid service configs are rejected with INVALID_ARGUMENT",
        arguments: [
            "{not json",
            #"{"methodConfig":[{"name":[{}],"timeout":"5"}]}"#,
            #"""
            {"methodConfig":[{"name":[{}],"retryPolicy":{"maxAttempts":1,"initialBackoff":"1s",\#
            "maxBackoff":"1s","backoffMultiplier":2,"retryableStatusCodes":["UNAVAILABLE"]}}]}
            """#,
            #"""
            {"methodConfig":[{"name":[{}],"retryPolicy":{"maxAttempts":3,"initialBackoff":"1s",\#
            "maxBackoff":"1s","backoffMultiplier":2,"retryableStatusCodes":["NOPE"]}}]}
            """#,
            #"""
            {"methodConfig":[{"name":[{}],"retryPolicy":{"maxAttempts":3,"initialBackoff":"1s",\#
            "maxBackoff":"1s","backoffMultiplier":2,"retryableStatusCodes":[]}}]}
            """#,
        ]
    )
    func invalidServiceConfig(json: String) {
        #expect {
            try ServiceConfig(json: json)
        } throws: { error in
            (error as? RPCError)?.code == .invalidArgument
        }
    }

    @Test("Backoff stays below min(initial * multiplier^(n-1), max)")
    func backoff() {
        let policy = RetryPolicy(
            maxAttempts: 1,
            initialBackoff: .milliseconds(100),
            maxBackoff: .milliseconds(300),
            backoffMultiplier: 2,
            retryableStatusCodes: [.unavailable]
        )
        #expect(policy.maxAttempts == 2)
        for _ in 0..<200 {
            #expect(policy.backoff(beforeRetry: 1) < .milliseconds(100))
            #expect(policy.backoff(beforeRetry: 2) < .milliseconds(200))
            #expect(policy.backoff(beforeRetry: 5) < .milliseconds(300))
        }
    }
}
