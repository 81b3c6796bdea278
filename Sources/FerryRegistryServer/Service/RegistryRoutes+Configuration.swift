import FerryRegistry
import Hummingbird

extension RegistryRoutes {
    private struct ConfigRequest: Decodable {
        var compatibility: String?
        var compatibilityLevel: String?
    }

    func addConfiguration<Context: RequestContext>(to router: Router<Context>) {
        let registry = self.registry
        let subjectOf: @Sendable (Context) throws -> String? = { context in
            context.parameters.get("subject") == nil ? nil : try RegistryHTTP.subject(context)
        }
        let getConfig: @Sendable (Request, Context) async -> Response = { request, context in
            await RegistryHTTP.respond {
                let level = try await registry.compatibility(
                    subject: try subjectOf(context),
                    defaultToGlobal: RegistryHTTP.flag(request, "defaultToGlobal")
                )
                return RegistryHTTP.json(RegistryJSON.ConfigResponse(compatibilityLevel: level.rawValue))
            }
        }
        let putConfig: @Sendable (Request, Context) async -> Response = { request, context in
            await RegistryHTTP.respond {
                let body = try await RegistryHTTP.decode(
                    ConfigRequest.self,
                    from: request,
                    knownFields: "config",
                    refusingWith: .invalidCompatibilityLevel
                )
                let name = body.compatibility ?? body.compatibilityLevel ?? ""
                guard let level = CompatibilityLevel(apiName: name) else {
                    throw RegistryError(
                        .invalidCompatibilityLevel,
                        """
                        Invalid compatibility level. Valid values are none, backward, forward, full, \
                        backward_transitive, forward_transitive, and full_transitive
                        """
                    )
                }
                try await registry.setCompatibility(level, subject: try subjectOf(context))
                return RegistryHTTP.json(RegistryJSON.ConfigUpdate(compatibility: level.rawValue))
            }
        }
        let deleteConfig: @Sendable (Request, Context) async -> Response = { _, context in
            await RegistryHTTP.respond {
                let previous = try await registry.deleteCompatibility(subject: try subjectOf(context))
                return RegistryHTTP.json(RegistryJSON.ConfigResponse(compatibilityLevel: previous.rawValue))
            }
        }
        router.get("/config", use: getConfig)
        router.put("/config", use: putConfig)
        router.delete("/config", use: deleteConfig)
        router.get("/config/:subject", use: getConfig)
        router.put("/config/:subject", use: putConfig)
        router.delete("/config/:subject", use: deleteConfig)

        let getMode: @Sendable (Request, Context) async -> Response = { request, context in
            await RegistryHTTP.respond {
                let mode = try await registry.mode(
                    subject: try subjectOf(context),
                    defaultToGlobal: RegistryHTTP.flag(request, "defaultToGlobal")
                )
                return RegistryHTTP.json(RegistryJSON.ModeBody(mode: mode.rawValue))
            }
        }
        let putMode: @Sendable (Request, Context) async -> Response = { request, context in
            await RegistryHTTP.respond {
                let body = try await RegistryHTTP.decode(
                    RegistryJSON.ModeBody.self,
                    from: request,
                    knownFields: "mode",
                    refusingWith: .invalidMode
                )
                guard let mode = RegistryMode(apiName: body.mode) else {
                    throw RegistryError(.invalidMode, "Invalid mode. Valid values are READWRITE, READONLY, IMPORT")
                }
                try await registry.setMode(
                    mode,
                    subject: try subjectOf(context),
                    force: RegistryHTTP.flag(request, "force")
                )
                return RegistryHTTP.json(RegistryJSON.ModeBody(mode: mode.rawValue))
            }
        }
        let deleteMode: @Sendable (Request, Context) async -> Response = { _, context in
            await RegistryHTTP.respond {
                RegistryHTTP.json(
                    RegistryJSON.ModeBody(mode: try await registry.deleteMode(subject: try subjectOf(context)).rawValue)
                )
            }
        }
        router.get("/mode", use: getMode)
        router.put("/mode", use: putMode)
        router.delete("/mode", use: deleteMode)
        router.get("/mode/:subject", use: getMode)
        router.put("/mode/:subject", use: putMode)
        router.delete("/mode/:subject", use: deleteMode)
    }
}
