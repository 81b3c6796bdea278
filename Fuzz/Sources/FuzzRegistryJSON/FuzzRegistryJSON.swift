import Dispatch
import FerryRegistry
import Foundation
import Hummingbird
import NIOCore

@testable import FerryRegistryServer

/// libFuzzer entry point: the input is an HTTP request body, decoded by the registry server's own
/// `RegistryHTTP.decode` (from a Hummingbird `Request`, as its routes decode bodies) as each JSON
/// body the server accepts:
/// - the schema request of `POST /subjects/{s}/versions`, `POST /subjects/{s}` and
///   `POST /compatibility/...`, then turned into a ``SchemaInput`` as those routes do, registered in
///   an in-memory ``SchemaRegistry`` and looked up again;
/// - the body of `PUT /config`, then read as a compatibility level;
/// - the body of `PUT /mode`, then read as a mode.
///
/// Checked, besides "no crash, no leak": a body that decodes re-encodes (JSONEncoder) to one that
/// decodes to an equal value; a schema that registered is found by a look-up of the same input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // SAFETY: libFuzzer guarantees `data` points to `size` readable bytes for the duration of
    // this call; they are copied into an array here and the pointer is not used afterwards.
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    runBlocking {
        await checkSchemaRequest(body)
        if let config = await decodeAndRoundTrip(ConfigRequest.self, body) {
            _ = CompatibilityLevel(apiName: config.compatibility ?? config.compatibilityLevel ?? "")
        }
        if let mode = await decodeAndRoundTrip(RegistryJSON.ModeBody.self, body) {
            _ = RegistryMode(apiName: mode.mode)
        }
    }
    return 0
}

/// The body of `PUT /config` and `PUT /config/{s}`, spelled as the server's private
/// `ConfigRequest` in RegistryRoutes+Configuration.swift (either key is accepted).
private struct ConfigRequest: Codable, Hashable {
    var compatibility: String?
    var compatibilityLevel: String?
}

private func checkSchemaRequest(_ body: [UInt8]) async {
    guard let request = await decodeAndRoundTrip(RegistryJSON.SchemaRequest.self, body) else { return }
    let input = RegistryHTTP.input(request)
    let registry = SchemaRegistry(store: InMemorySchemaStore())
    let subject = "fuzz-value"
    guard let registered = try? await registry.register(subject: subject, input) else { return }
    do {
        let found = try await registry.lookup(subject: subject, input)
        guard found.schema.id == registered.schema.id else {
            fatalError("look-up found schema \(found.schema.id), registration gave \(registered.schema.id)")
        }
    } catch {
        fatalError("a schema that registered is not found by the same input: \(error)")
    }
}

/// Decodes `body` with the server's decoder; when it decodes, checks that JSONEncoder's encoding
/// of the value decodes back to it.
private func decodeAndRoundTrip<T: Codable & Equatable>(_ type: T.Type, _ body: [UInt8]) async -> T? {
    let request = Request(
        head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/subjects/fuzz-value/versions"),
        body: RequestBody(buffer: ByteBuffer(bytes: body))
    )
    guard let value = try? await RegistryHTTP.decode(T.self, from: request) else { return nil }
    do {
        let again = try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
        guard again == value else { fatalError("\(T.self) changed in a JSON round trip: \(value) -> \(again)") }
    } catch {
        fatalError("\(T.self) does not survive a JSON round trip: \(value): \(error)")
    }
    return value
}

/// Runs `body` to completion on the concurrency pool while this (libFuzzer's) thread waits.
private func runBlocking(_ body: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task {
        await body()
        done.signal()
    }
    done.wait()
}
