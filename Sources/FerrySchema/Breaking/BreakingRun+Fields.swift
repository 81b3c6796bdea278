import FerryCodec

/// The rules that compare one field (or extension) with the field of the same number.
extension BreakingRun {
    mutating func compareField(_ before: BreakingField, _ after: BreakingField, fileIndex: Int) {
        let subject = after.subject
        let at = after.sourcePath
        let bothInMapEntries = before.isInMapEntry && after.isInMapEntry

        // Cardinality.
        if !bothInMapEntries && before.cardinality != after.cardinality {
            let change =
                """
                \(subject) changed cardinality from "\(before.cardinality.rawValue)" to \
                "\(after.cardinality.rawValue)".
                """
            report(.fieldSameCardinality, in: new, fileIndex: fileIndex, at: at, change)
            if before.cardinality.wireGroup != after.cardinality.wireGroup {
                report(.fieldWireCompatibleCardinality, in: new, fileIndex: fileIndex, at: at, change)
            }
            if before.cardinality.wireJSONGroup != after.cardinality.wireJSONGroup {
                report(.fieldWireJSONCompatibleCardinality, in: new, fileIndex: fileIndex, at: at, change)
            }
        }

        // Type.
        let typeChange = "\(subject) changed type from \"\(before.kindName)\" to \"\(after.kindName)\"."
        let typeNameChange =
            """
            \(subject) changed type from "\(BreakingImage.bare(before.descriptor.typeName))" to \
            "\(BreakingImage.bare(after.descriptor.typeName))".
            """
        let sameTypeName = before.descriptor.typeName == after.descriptor.typeName
        if before.kind != after.kind {
            report(.fieldSameType, in: new, fileIndex: fileIndex, at: at, typeChange)
        } else if [.enum, .group, .message].contains(after.kind) && !sameTypeName {
            report(.fieldSameType, in: new, fileIndex: fileIndex, at: at, typeNameChange)
        }
        if applies(.fieldWireCompatibleType) {
            if !before.sharesWireGroup(with: after) {
                let stringToBytes = before.kind == .string && after.kind == .bytes
                // Deliberately unlike buf: the language guide calls enum and int32, uint32, int64
                // and uint64 wire-compatible, and so they are (an enum is a varint).
                let enumAndInteger =
                    (before.kind == .enum && after.isEnumCompatibleInteger)
                    || (after.kind == .enum && before.isEnumCompatibleInteger)
                if !stringToBytes && !enumAndInteger {
                    report(.fieldWireCompatibleType, in: new, fileIndex: fileIndex, at: at, typeChange)
                }
            } else if !sameTypeName {
                checkSameNamedType(
                    .fieldWireCompatibleType,
                    before,
                    after,
                    fileIndex: fileIndex,
                    message: typeNameChange
                )
            }
        }
        if applies(.fieldWireJSONCompatibleType) {
            if before.wireJSONGroup != after.wireJSONGroup {
                report(.fieldWireJSONCompatibleType, in: new, fileIndex: fileIndex, at: at, typeChange)
            } else if !sameTypeName {
                checkSameNamedType(
                    .fieldWireJSONCompatibleType,
                    before,
                    after,
                    fileIndex: fileIndex,
                    message: typeNameChange
                )
            }
        }

        // Names.
        if before.displayName != after.displayName {
            report(
                .fieldSameName,
                in: new,
                fileIndex: fileIndex,
                at: at + [1],
                """
                Field "\(after.descriptor.number ?? 0)" on message "\(after.parentName)" changed name from \
                "\(before.displayName)" to "\(after.displayName)".
                """
            )
        }
        if !before.isExtension {
            let oldJSON = Self.jsonName(before.descriptor)
            let newJSON = Self.jsonName(after.descriptor)
            if oldJSON != newJSON {
                report(
                    .fieldSameJSONName,
                    in: new,
                    fileIndex: fileIndex,
                    at: at,
                    "\(subject) changed option \"json_name\" from \"\(oldJSON)\" to \"\(newJSON)\"."
                )
            }
        }

        // Defaults.
        if before.canHaveDefault && after.canHaveDefault {
            let oldDefault = BreakingDefault(
                before,
                enumType: before.kind == .enum ? old.enumType(named: before.descriptor.typeName)?.descriptor : nil
            )
            let newDefault = BreakingDefault(
                after,
                enumType: after.kind == .enum ? new.enumType(named: after.descriptor.typeName)?.descriptor : nil
            )
            if !(oldDefault.isZero && newDefault.isZero) && !oldDefault.sameValue(as: newDefault) {
                report(
                    .fieldSameDefault,
                    in: new,
                    fileIndex: fileIndex,
                    at: at,
                    "\(subject) changed default value from \(Self.defaultText(before)) to \(Self.defaultText(after))."
                )
            }
        }

        // Options and features generated code depends on.
        if before.is64BitInteger && after.is64BitInteger {
            let oldJSType = before.descriptor.options?.jstypeOrDefault ?? .jsNormal
            let newJSType = after.descriptor.options?.jstypeOrDefault ?? .jsNormal
            if oldJSType != newJSType {
                report(
                    .fieldSameJSType,
                    in: new,
                    fileIndex: fileIndex,
                    at: at,
                    "\(subject) changed option \"jstype\" from \"\(oldJSType)\" to \"\(newJSType)\"."
                )
            }
        }
        if !bothInMapEntries && before.isStringOrBytes && after.isStringOrBytes {
            let oldType = before.cppStringType
            let newType = after.cppStringType
            let changed = oldType.type != newType.type || oldType.isPiece != newType.isPiece
            // STRING_PIECE fields are accessed as STRING, so moving to STRING is safe.
            if changed && !(oldType.isPiece && newType.type == .string) {
                report(
                    .fieldSameCppStringType,
                    in: new,
                    fileIndex: fileIndex,
                    at: at,
                    "\(subject) changed C++ string type from \"\(oldType.type)\" to \"\(newType.type)\"."
                )
            }
        }
        if before.isString && after.isString {
            if before.validatesUTF8 != after.validatesUTF8 {
                report(
                    .fieldSameUTF8Validation,
                    in: new,
                    fileIndex: fileIndex,
                    at: at,
                    """
                    \(subject) changed UTF8 validation from \(before.validatesUTF8 ? "VERIFY" : "NONE") to \
                    \(after.validatesUTF8 ? "VERIFY" : "NONE").
                    """
                )
            }
            if before.javaValidatesUTF8 != after.javaValidatesUTF8 {
                report(
                    .fieldSameJavaUTF8Validation,
                    in: new,
                    fileIndex: fileIndex,
                    at: at,
                    """
                    \(subject) changed Java string UTF8 validation from \
                    "\(before.javaValidatesUTF8 ? "VERIFY" : "DEFAULT")" to \
                    "\(after.javaValidatesUTF8 ? "VERIFY" : "DEFAULT")".
                    """
                )
            }
        }
    }

    /// A field of the same kind now names another message or enum. Another message always breaks;
    /// another enum breaks unless it has the same short name and keeps every old value.
    private mutating func checkSameNamedType(
        _ rule: BreakingRule,
        _ before: BreakingField,
        _ after: BreakingField,
        fileIndex: Int,
        message: String
    ) {
        switch after.kind {
        case .group, .message:
            report(rule, in: new, fileIndex: fileIndex, at: after.sourcePath, message)
        case .enum:
            guard let oldEnum = old.enumType(named: before.descriptor.typeName)?.descriptor,
                let newEnum = new.enumType(named: after.descriptor.typeName)?.descriptor,
                oldEnum.name == newEnum.name
            else {
                report(rule, in: new, fileIndex: fileIndex, at: after.sourcePath, message)
                return
            }
            let newValues = Dictionary(
                newEnum.value.map { ($0.name ?? "", $0.number ?? 0) },
                uniquingKeysWith: { first, _ in first }
            )
            let keepsValues = oldEnum.value.allSatisfy { newValues[$0.name ?? ""] == $0.number }
            if !keepsValues {
                report(rule, in: new, fileIndex: fileIndex, at: after.sourcePath, message)
            }
        default:
            break
        }
    }

    private static func jsonName(_ field: Google_Protobuf_FieldDescriptorProto) -> String {
        field.jsonName ?? JSONName.from(field.name ?? "")
    }

    private static func defaultText(_ field: BreakingField) -> String {
        guard let text = field.descriptor.defaultValue else { return "(none)" }
        return field.kind == .string || field.kind == .bytes ? "\"\(text)\"" : text
    }

    // MARK: Extensions

    mutating func checkExtensions() {
        for oldExtension in old.extensions where old.isChecked(oldExtension) {
            let extendee = BreakingImage.bare(oldExtension.descriptor.extendee)
            guard let index = new.extensionsByExtendee[extendee]?[oldExtension.descriptor.number ?? 0] else { continue }
            let newExtension = new.extensions[index]
            let before = BreakingField(
                oldExtension.descriptor,
                in: old,
                file: old.file(of: oldExtension),
                parent: nil,
                extensionFullName: oldExtension.fullName,
                sourcePath: oldExtension.sourcePath
            )
            let after = BreakingField(
                newExtension.descriptor,
                in: new,
                file: new.file(of: newExtension),
                parent: nil,
                extensionFullName: newExtension.fullName,
                sourcePath: newExtension.sourcePath
            )
            compareField(before, after, fileIndex: newExtension.fileIndex)
        }
    }

    // MARK: Services

    mutating func checkServices() {
        for oldService in old.services where old.isChecked(oldService) {
            guard let index = new.servicesByName[oldService.fullName], new.isChecked(new.services[index]) else {
                continue
            }
            let newService = new.services[index]
            let serviceName = newService.descriptor.name ?? ""
            var newMethods: [String: Int] = [:]
            for (i, method) in newService.descriptor.method.enumerated() { newMethods[method.name ?? ""] = i }
            for method in oldService.descriptor.method {
                let name = method.name ?? ""
                guard let methodIndex = newMethods[name] else {
                    report(
                        .rpcNoDelete,
                        in: new,
                        fileIndex: newService.fileIndex,
                        at: newService.sourcePath,
                        "Previously present RPC \"\(name)\" on service \"\(serviceName)\" was deleted."
                    )
                    continue
                }
                let current = newService.descriptor.method[methodIndex]
                let at = newService.sourcePath + [2, Int32(methodIndex)]
                let rpc = "RPC \"\(name)\" on service \"\(serviceName)\""
                if method.clientStreamingOrDefault != current.clientStreamingOrDefault {
                    report(
                        .rpcSameClientStreaming,
                        in: new,
                        fileIndex: newService.fileIndex,
                        at: at,
                        """
                        \(rpc) changed from client \(Self.streaming(method.clientStreamingOrDefault)) to client \
                        \(Self.streaming(current.clientStreamingOrDefault)).
                        """
                    )
                }
                if method.serverStreamingOrDefault != current.serverStreamingOrDefault {
                    report(
                        .rpcSameServerStreaming,
                        in: new,
                        fileIndex: newService.fileIndex,
                        at: at,
                        """
                        \(rpc) changed from server \(Self.streaming(method.serverStreamingOrDefault)) to server \
                        \(Self.streaming(current.serverStreamingOrDefault)).
                        """
                    )
                }
                if method.inputType != current.inputType {
                    report(
                        .rpcSameRequestType,
                        in: new,
                        fileIndex: newService.fileIndex,
                        at: at + [2],
                        """
                        \(rpc) changed request type from "\(BreakingImage.bare(method.inputType))" to \
                        "\(BreakingImage.bare(current.inputType))".
                        """
                    )
                }
                if method.outputType != current.outputType {
                    report(
                        .rpcSameResponseType,
                        in: new,
                        fileIndex: newService.fileIndex,
                        at: at + [3],
                        """
                        \(rpc) changed response type from "\(BreakingImage.bare(method.outputType))" to \
                        "\(BreakingImage.bare(current.outputType))".
                        """
                    )
                }
                let oldLevel = method.options?.idempotencyLevelOrDefault ?? .idempotencyUnknown
                let newLevel = current.options?.idempotencyLevelOrDefault ?? .idempotencyUnknown
                if oldLevel != newLevel {
                    report(
                        .rpcSameIdempotencyLevel,
                        in: new,
                        fileIndex: newService.fileIndex,
                        at: at,
                        "\(rpc) changed option \"idempotency_level\" from \"\(oldLevel)\" to \"\(newLevel)\"."
                    )
                }
            }
        }
    }

    private static func streaming(_ flag: Bool) -> String { flag ? "streaming" : "unary" }
}
