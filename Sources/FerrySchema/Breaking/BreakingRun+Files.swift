import FerryCodec

/// The rules that compare files paired by path, and packages.
extension BreakingRun {
    mutating func checkFiles() {
        for oldFile in old.checkedFiles {
            guard let newIndex = new.filesByPath[oldFile.path], new.files[newIndex].isChecked else {
                report(.fileNoDelete, path: oldFile.path, "Previously present file \"\(oldFile.path)\" was deleted.")
                continue
            }
            let newFile = new.files[newIndex]
            if oldFile.package != newFile.package {
                report(
                    .fileSamePackage,
                    in: new,
                    fileIndex: newIndex,
                    at: [2],
                    "File package changed from \"\(oldFile.package)\" to \"\(newFile.package)\"."
                )
            }
            if oldFile.syntax != newFile.syntax {
                report(
                    .fileSameSyntax,
                    in: new,
                    fileIndex: newIndex,
                    at: [12],
                    "File syntax changed from \"\(oldFile.syntax)\" to \"\(newFile.syntax)\"."
                )
            }
            checkFileOptions(oldFile.descriptor.options, newFile.descriptor.options, fileIndex: newIndex)
            checkFileMembers(oldFile, newFile, newIndex: newIndex)
        }
    }

    /// Each code-generation option of a file, with its default when unset, as it is compared.
    private static let fileOptions:
        [(rule: BreakingRule, name: String, number: Int32, value: @Sendable (Google_Protobuf_FileOptions?) -> String)] =
            [
                (.fileSameJavaPackage, "java_package", 1, { $0?.javaPackage ?? "" }),
                (.fileSameJavaOuterClassname, "java_outer_classname", 8, { $0?.javaOuterClassname ?? "" }),
                (
                    .fileSameJavaMultipleFiles, "java_multiple_files", 10,
                    { String($0?.javaMultipleFilesOrDefault ?? false) }
                ),
                (
                    .fileSameOptimizeFor, "optimize_for", 9,
                    { Self.optimizeModeName($0?.optimizeForOrDefault ?? .speed) }
                ),
                (.fileSameGoPackage, "go_package", 11, { $0?.goPackage ?? "" }),
                (
                    .fileSameCcGenericServices, "cc_generic_services", 16,
                    { String($0?.ccGenericServicesOrDefault ?? false) }
                ),
                (
                    .fileSameJavaGenericServices, "java_generic_services", 17,
                    { String($0?.javaGenericServicesOrDefault ?? false) }
                ),
                (
                    .fileSamePyGenericServices, "py_generic_services", 18,
                    { String($0?.pyGenericServicesOrDefault ?? false) }
                ),
                (.fileSameCcEnableArenas, "cc_enable_arenas", 31, { String($0?.ccEnableArenasOrDefault ?? true) }),
                (.fileSameObjcClassPrefix, "objc_class_prefix", 36, { $0?.objcClassPrefix ?? "" }),
                (.fileSameCsharpNamespace, "csharp_namespace", 37, { $0?.csharpNamespace ?? "" }),
                (.fileSameSwiftPrefix, "swift_prefix", 39, { $0?.swiftPrefix ?? "" }),
                (.fileSamePhpClassPrefix, "php_class_prefix", 40, { $0?.phpClassPrefix ?? "" }),
                (.fileSamePhpNamespace, "php_namespace", 41, { $0?.phpNamespace ?? "" }),
                (.fileSamePhpMetadataNamespace, "php_metadata_namespace", 44, { $0?.phpMetadataNamespace ?? "" }),
                (.fileSameRubyPackage, "ruby_package", 45, { $0?.rubyPackage ?? "" }),
            ]

    private static func optimizeModeName(_ mode: Google_Protobuf_FileOptions.OptimizeMode) -> String {
        switch mode {
        case .speed: "SPEED"
        case .codeSize: "CODE_SIZE"
        case .liteRuntime: "LITE_RUNTIME"
        }
    }

    private mutating func checkFileOptions(
        _ old: Google_Protobuf_FileOptions?,
        _ newOptions: Google_Protobuf_FileOptions?,
        fileIndex: Int
    ) {
        for option in Self.fileOptions {
            let before = option.value(old)
            let after = option.value(newOptions)
            if before != after {
                report(
                    option.rule,
                    in: new,
                    fileIndex: fileIndex,
                    at: [8, option.number],
                    "File option \"\(option.name)\" changed from \"\(before)\" to \"\(after)\"."
                )
            }
        }
    }

    /// FILE's deletions: types, extensions and services that left a file (even for another file).
    private mutating func checkFileMembers(_ oldFile: BreakingImage.File, _ newFile: BreakingImage.File, newIndex: Int)
    {
        let oldIndex = old.filesByPath[oldFile.path] ?? 0
        let newMessages = Set(new.messages.filter { $0.fileIndex == newIndex }.map(\.nestedName))
        for message in old.messages where message.fileIndex == oldIndex && !newMessages.contains(message.nestedName) {
            report(
                .messageNoDelete,
                in: new,
                fileIndex: newIndex,
                at: parentPath(of: message.nestedName, fileIndex: newIndex),
                "Previously present message \"\(message.nestedName)\" was deleted from file."
            )
        }
        let newEnums = Set(new.enums.filter { $0.fileIndex == newIndex }.map(\.nestedName))
        for enumType in old.enums where enumType.fileIndex == oldIndex && !newEnums.contains(enumType.nestedName) {
            report(
                .enumNoDelete,
                in: new,
                fileIndex: newIndex,
                at: parentPath(of: enumType.nestedName, fileIndex: newIndex),
                "Previously present enum \"\(enumType.nestedName)\" was deleted from file."
            )
        }
        let newExtensions = Set(new.extensions.filter { $0.fileIndex == newIndex }.map(\.nestedName))
        for field in old.extensions where field.fileIndex == oldIndex && !newExtensions.contains(field.nestedName) {
            report(
                .extensionNoDelete,
                in: new,
                fileIndex: newIndex,
                at: parentPath(of: field.nestedName, fileIndex: newIndex),
                "Previously present extension \"\(field.nestedName)\" was deleted from file."
            )
        }
        let newServices = Set(newFile.descriptor.service.compactMap(\.name))
        for service in oldFile.descriptor.service where !newServices.contains(service.name ?? "") {
            report(
                .serviceNoDelete,
                in: new,
                fileIndex: newIndex,
                at: nil,
                "Previously present service \"\(service.name ?? "")\" was deleted from file."
            )
        }
    }

    /// The source path of the closest enclosing message of a deleted element that still exists in
    /// the file, if any.
    private func parentPath(of nestedName: String, fileIndex: Int) -> [Int32]? {
        var parts = nestedName.split(separator: ".")
        let package = new.files[fileIndex].package
        while parts.count > 1 {
            parts.removeLast()
            let name = BreakingImage.join(package, parts.joined(separator: "."))
            if let index = new.messagesByName[name], new.messages[index].fileIndex == fileIndex {
                return new.messages[index].sourcePath
            }
        }
        return nil
    }

    // MARK: Packages

    mutating func checkPackages() {
        guard applies(.packageNoDelete) else { return }
        let oldPackages = Dictionary(grouping: old.checkedFiles, by: \.package)
        let newPackages = Set(new.checkedFiles.map(\.package))
        for (package, files) in oldPackages.sorted(by: { $0.key < $1.key }) where !newPackages.contains(package) {
            let first = files.map(\.path).sorted().first ?? ""
            report(.packageNoDelete, path: first, "Previously present package \"\(package)\" was deleted.")
        }
        checkPackageMembers(.packageMessageNoDelete, "message", old.messages, new.messages)
        checkPackageMembers(.packageEnumNoDelete, "enum", old.enums, new.enums)
        checkPackageMembers(.packageExtensionNoDelete, "extension", old.extensions, new.extensions)
        checkPackageMembers(.packageServiceNoDelete, "service", old.services, new.services, filePackages: newPackages)
    }

    /// Elements missing from every file of their package. As buf does, a package is compared for
    /// messages, enums and extensions only if the new schemas still hold at least one element of
    /// the same kind in it, and for services whenever it still has a file.
    private mutating func checkPackageMembers<Descriptor>(
        _ rule: BreakingRule,
        _ noun: String,
        _ oldElements: [BreakingImage.Element<Descriptor>],
        _ newElements: [BreakingImage.Element<Descriptor>],
        filePackages: Set<String> = []
    ) {
        var present = Set<String>()
        var newPackages = filePackages
        for element in newElements where new.isChecked(element) {
            let package = new.file(of: element).package
            present.insert("\(package)\u{0}\(element.nestedName)")
            newPackages.insert(package)
        }
        for element in oldElements where old.isChecked(element) {
            let package = old.file(of: element).package
            guard newPackages.contains(package), !present.contains("\(package)\u{0}\(element.nestedName)") else {
                continue
            }
            let message =
                "Previously present \(noun) \"\(element.nestedName)\" was deleted from package \"\(package)\"."
            let oldPath = old.file(of: element).path
            if let newIndex = new.filesByPath[oldPath], new.files[newIndex].isChecked {
                report(
                    rule,
                    in: new,
                    fileIndex: newIndex,
                    at: parentPath(of: element.nestedName, fileIndex: newIndex),
                    message
                )
            } else {
                report(rule, in: old, fileIndex: element.fileIndex, at: element.sourcePath, message)
            }
        }
    }
}
