import FerryCodec
import FerryRegistry
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import FerryRegistryServer

/// The four defects issue 13 found by reading the code, each pinned on every backend.
@Suite("Registry fixes of issue 13", .serialized)
struct RegistryFixTests {
    @Test(
        """
        a hard-deleted subject leaves no config or mode behind; a subject \
        named 'global' leaves the global config alone
        """,
        arguments: Backend.allCases
    )
    func hardDeleteClearsConfig(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        let registry = SchemaRegistry(store: store)
        try await registry.setCompatibility(.full, subject: nil)
        for subject in ["global", "orders-value"] {
            _ = try await registry.register(subject: subject, SchemaInput(schema: orderV1))
            try await registry.setCompatibility(.none, subject: subject)
            try await registry.setMode(.readWrite, subject: subject)
            _ = try await registry.deleteSubject(subject, permanent: false)
            _ = try await registry.deleteSubject(subject, permanent: true)
            #expect(try await store.compatibility(subject: subject) == nil, "\(subject)")
            #expect(try await store.mode(subject: subject) == nil, "\(subject)")
        }
        #expect(try await store.compatibility(subject: nil) == .full)
        // A subject registered again under the same name starts from the global settings.
        _ = try await registry.register(subject: "orders-value", SchemaInput(schema: orderV1))
        #expect(try await registry.effectiveCompatibility(subject: "orders-value") == .full)
        if let store = store as? SQLSchemaStore { await store.close() }
    }

    @Test(
        "IMPORT refuses an id that already holds another schema with 42207, and keeps the stored schema",
        arguments: Backend.allCases
    )
    func importIDInUse(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        let registry = SchemaRegistry(store: store)
        try await registry.setMode(.import, subject: nil)
        let first = try await registry.register(
            subject: "orders-value",
            SchemaInput(schema: orderV1, id: 7, version: 1)
        )
        #expect(first.schema.id == 7)
        // The same schema under the same id in another subject is fine (ids are global).
        let shared = try await registry.register(subject: "copy-value", SchemaInput(schema: orderV1, id: 7, version: 1))
        #expect(shared.schema.id == 7)
        let refused = await #expect(throws: RegistryError.self) {
            try await registry.register(subject: "other-value", SchemaInput(schema: orderV2, id: 7, version: 1))
        }
        #expect(refused?.code.rawValue == 42207)
        #expect(refused?.code.httpStatus == 422)
        #expect(try await store.schema(id: 7, context: ".")?.text == first.schema.text)
        #expect(try await store.versions(of: "other-value", includeDeleted: true).isEmpty)
        if let store = store as? SQLSchemaStore { await store.close() }
    }

    @Test("client-side failures carry no code of Confluent's server; a server's 50002 and 50003 keep their meaning")
    func clientCodes() async throws {
        let serverCodes = [50001, 50002, 50003]
        #expect(!serverCodes.contains(RegistryError.Code.transportError.rawValue))
        #expect(!serverCodes.contains(RegistryError.Code.unexpectedResponse.rawValue))
        #expect(RegistryError.Code(rawValue: 50002) == .operationTimeout)
        #expect(RegistryError.Code(rawValue: 50003) == .requestForwardingFailed)
        // Nothing listens on this port: the client reports a transport failure, not a server error.
        let client = HTTPRegistryClient(baseURL: "http://127.0.0.1:9")
        let failure = await #expect(throws: RegistryError.self) { try await client.subjects() }
        #expect(failure?.code == .transportError)
    }

    enum UnsupportedPart: String, CaseIterable, CustomTestStringConvertible {
        case unknownField, unknownRuleField, ruleWithoutMode, duplicateRuleName
        var testDescription: String { rawValue }

        /// The request body, and a word the error message must contain.
        var body: ([String: Any], String) {
            let rule: [String: Any] = [
                "name": "checkTotal", "kind": "CONDITION", "mode": "WRITE", "type": "CEL", "expr": "message.total > 0",
            ]
            switch self {
            case .unknownField:
                return (["schemaTagsToAdd": [["entityPath": "Order.id", "tags": ["PII"]]]], "schemaTagsToAdd")
            case .unknownRuleField:
                return (["ruleSet": ["domainRules": [rule.merging(["enabled": true]) { $1 }]]], "enabled")
            case .ruleWithoutMode: return (["ruleSet": ["domainRules": [rule.filter { $0.key != "mode" }]]], "mode")
            case .duplicateRuleName: return (["ruleSet": ["domainRules": [rule, rule]]], "checkTotal")
            }
        }
    }

    @Test(
        "a request part this registry cannot store or that is invalid is refused with 422/42201, never dropped",
        arguments: UnsupportedPart.allCases
    )
    func unsupportedPartsRefused(_ part: UnsupportedPart) async throws {
        let app = RegistryServer.makeApplication(
            registry: SchemaRegistry(store: InMemorySchemaStore()),
            host: "127.0.0.1",
            port: 0
        )
        try await app.test(.router) { client in
            let (extra, word) = part.body
            let object = (["schema": orderV1, "schemaType": "PROTOBUF"] as [String: Any]).merging(extra) { $1 }
            let response = try await client.executeRequest(
                uri: "/subjects/orders-value/versions",
                method: .post,
                headers: [.contentType: RegistryJSON.contentType],
                body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
            )
            #expect(response.status.code == 422)
            let json =
                try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
            #expect(json?["error_code"] as? Int == 42201)
            #expect((json?["message"] as? String)?.contains(word) == true, "\(json ?? [:])")
            let subjects = try await client.executeRequest(uri: "/subjects", method: .get, headers: [:], body: nil)
            #expect(String(buffer: subjects.body) == "[]")
            // An explicit null is no part at all and registers as usual.
            let plain = try JSONSerialization.data(withJSONObject: [
                "schema": orderV1, "schemaType": "PROTOBUF", "ruleSet": NSNull(),
            ])
            let accepted = try await client.executeRequest(
                uri: "/subjects/orders-value/versions",
                method: .post,
                headers: [.contentType: RegistryJSON.contentType],
                body: ByteBuffer(bytes: plain)
            )
            #expect(accepted.status.code == 200)
        }
    }

    @Test(
        "a config or mode field the registry does not support (defaultMetadata, overrideRuleSet, compatibilityGroup) is refused, not dropped",
        arguments: [
            ("/config", #"{"compatibility": "NONE", "defaultMetadata": {"properties": {"owner": "x"}}}"#, 42203),
            ("/config/orders-value", #"{"overrideRuleSet": {"domainRules": []}}"#, 42203),
            ("/config", #"{"compatibility": "NONE", "compatibilityGroup": "app.version"}"#, 42203),
            ("/mode", #"{"mode": "READONLY", "force": true}"#, 42204),
        ]
    )
    func unsupportedSettingsRefused(_ uri: String, _ body: String, _ code: Int) async throws {
        let app = RegistryServer.makeApplication(
            registry: SchemaRegistry(store: InMemorySchemaStore()),
            host: "127.0.0.1",
            port: 0
        )
        try await app.test(.router) { client in
            let response = try await client.executeRequest(
                uri: uri,
                method: .put,
                headers: [.contentType: RegistryJSON.contentType],
                body: ByteBuffer(string: body)
            )
            #expect(response.status.code == 422)
            let json =
                try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
            #expect(json?["error_code"] as? Int == code)
            // Nothing was applied: the global level and mode are still the defaults.
            let config = try await client.executeRequest(uri: "/config", method: .get, headers: [:], body: nil)
            #expect(String(buffer: config.body).contains("BACKWARD"))
            let mode = try await client.executeRequest(uri: "/mode", method: .get, headers: [:], body: nil)
            #expect(String(buffer: mode.body).contains("READWRITE"))
            // `normalize` is taken: stored text is canonical anyway.
            let normalize = try await client.executeRequest(
                uri: "/config",
                method: .put,
                headers: [.contentType: RegistryJSON.contentType],
                body: ByteBuffer(
                    bytes: try JSONSerialization.data(withJSONObject: ["compatibility": "FULL", "normalize": true])
                )
            )
            #expect(normalize.status.code == 200)
        }
    }

    @Test(
        "a global READONLY_OVERRIDE freezes every subject, even one whose own mode is READWRITE",
        arguments: Backend.allCases
    )
    func readOnlyOverride(_ backend: Backend) async throws {
        let store = try await backend.makeStore()
        let registry = SchemaRegistry(store: store)
        _ = try await registry.register(subject: "orders-value", SchemaInput(schema: orderV1))
        try await registry.setMode(.readWrite, subject: "orders-value")
        try await registry.setMode(.readOnly, subject: nil)
        // Plain READONLY globally: the subject's own READWRITE wins.
        _ = try await registry.register(subject: "orders-value", SchemaInput(schema: orderV2))
        try await registry.setMode(.readOnlyOverride, subject: nil)
        #expect(try await registry.effectiveMode(subject: "orders-value") == .readOnlyOverride)
        let refused = await #expect(throws: RegistryError.self) {
            try await registry.deleteSubject("orders-value", permanent: false)
        }
        #expect(refused?.code == .operationNotPermitted)
        #expect(RegistryMode(apiName: "readonly_override") == .readOnlyOverride)
        try await registry.setMode(.readWrite, subject: nil)
        #expect(try await registry.deleteSubject("orders-value", permanent: false) == [1, 2])
        if let store = store as? SQLSchemaStore { await store.close() }
    }
}
