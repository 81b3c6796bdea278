extension SchemaRegistry {
    // MARK: Deletion

    /// Deletes every version of a subject: soft first, for good with `permanent` once soft-deleted.
    ///
    /// - Returns: the deleted version numbers.
    /// - Throws: 40401 unknown subject, 40404 already soft-deleted, 40405 permanent without soft delete
    ///   first, 42206 when another schema references one of its versions, 42205 in READONLY mode.
    public func deleteSubject(_ subject: String, permanent: Bool) async throws(RegistryError) -> [Int] {
        try await requireWritable(subject)
        let all = try await store.versions(of: subject, includeDeleted: true)
        guard !all.isEmpty else { throw Self.subjectNotFound(subject) }
        let live = all.filter { !$0.isDeleted }
        if permanent && !live.isEmpty {
            throw RegistryError(
                .subjectNotSoftDeleted,
                "Subject '\(subject)' was not deleted first before being permanently deleted"
            )
        }
        if !permanent && live.isEmpty {
            throw RegistryError(
                .subjectSoftDeleted,
                "Subject '\(subject)' was soft deleted.Set permanent=true to delete permanently"
            )
        }
        for version in all {
            let referrers = try await store.referrers(subject: subject, version: version.version)
            if !referrers.isEmpty {
                throw RegistryError(
                    .referenceExists,
                    """
                    One or more references exist to the schema \
                    {subject=\(subject),version=\(version.version)}: schema ids \
                    \(referrers)
                    """
                )
            }
        }
        return permanent
            ? try await store.permanentlyDelete(subject: subject, version: nil)
            : try await store.softDelete(subject: subject, version: nil)
    }

    /// Deletes one version: soft first, for good with `permanent` once soft-deleted.
    ///
    /// - Throws: 40401, 40402, 40406 already soft-deleted, 40407 permanent without soft delete first,
    ///   42206 referenced, 42205 READONLY.
    public func deleteVersion(
        _ subject: String,
        _ selector: VersionSelector,
        permanent: Bool
    ) async throws(RegistryError) -> Int {
        try await requireWritable(subject)
        let target = try await version(of: subject, selector, includeDeleted: true)
        if permanent && !target.isDeleted {
            throw RegistryError(
                .schemaVersionNotSoftDeleted,
                "Subject '\(subject)' Version \(target.version) was not deleted first before being permanently deleted"
            )
        }
        if !permanent && target.isDeleted {
            throw RegistryError(
                .schemaVersionSoftDeleted,
                """
                Subject '\(subject)' Version \(target.version) was soft \
                deleted.Set permanent=true to delete permanently
                """
            )
        }
        let referrers = try await store.referrers(subject: subject, version: target.version)
        if !referrers.isEmpty {
            throw RegistryError(
                .referenceExists,
                """
                One or more references exist to the schema \
                {subject=\(subject),version=\(target.version)}: schema ids \
                \(referrers)
                """
            )
        }
        _ =
            permanent
            ? try await store.permanentlyDelete(subject: subject, version: target.version)
            : try await store.softDelete(subject: subject, version: target.version)
        return target.version
    }

    private func requireWritable(_ subject: String) async throws(RegistryError) {
        if try await effectiveMode(subject: subject).isReadOnly {
            throw RegistryError(.operationNotPermitted, "Subject \(subject) is in read-only mode")
        }
    }

    // MARK: Configuration

    /// The level that applies to a subject: its own, else its context's, else the global one, else BACKWARD.
    public func effectiveCompatibility(subject: String?) async throws(RegistryError) -> CompatibilityLevel {
        if let subject { return try await store.settings(subject: subject).effectiveCompatibility }
        return try await store.compatibility(subject: nil) ?? .default
    }

    /// The level set on a subject (or globally when `subject` is nil).
    ///
    /// - Parameters:
    ///   - subject: the subject, or nil for the global level.
    ///   - defaultToGlobal: answer with the global level when the subject has none.
    /// - Throws: 40408 when the subject has no level of its own and `defaultToGlobal` is false.
    public func compatibility(
        subject: String?,
        defaultToGlobal: Bool = false
    ) async throws(RegistryError) -> CompatibilityLevel {
        guard let subject else { return try await effectiveCompatibility(subject: nil) }
        if let own = try await store.compatibility(subject: subject) { return own }
        if defaultToGlobal { return try await effectiveCompatibility(subject: subject) }
        throw RegistryError(
            .subjectLevelCompatibilityNotConfigured,
            "Subject '\(subject)' does not have subject-level compatibility configured"
        )
    }

    /// Sets the level of a subject, or the global one when `subject` is nil.
    public func setCompatibility(_ level: CompatibilityLevel, subject: String?) async throws(RegistryError) {
        try await store.setCompatibility(level, subject: subject)
    }

    /// Removes a subject's own level (or resets the global one) and returns the level it had.
    public func deleteCompatibility(subject: String?) async throws(RegistryError) -> CompatibilityLevel {
        let previous = try await effectiveCompatibility(subject: subject)
        if let subject, try await store.compatibility(subject: subject) == nil,
            try await store.versions(of: subject, includeDeleted: true).isEmpty
        {
            throw Self.subjectNotFound(subject)
        }
        try await store.setCompatibility(nil, subject: subject)
        return previous
    }

    /// The mode that applies to a subject: a global READONLY_OVERRIDE, else its own, else its
    /// context's, else the global one, else READWRITE.
    public func effectiveMode(subject: String?) async throws(RegistryError) -> RegistryMode {
        if let subject { return try await store.settings(subject: subject).effectiveMode }
        return try await store.mode(subject: nil) ?? .readWrite
    }

    /// The mode set on a subject (or globally when `subject` is nil).
    ///
    /// - Throws: 40409 when the subject has no mode of its own and `defaultToGlobal` is false.
    public func mode(subject: String?, defaultToGlobal: Bool = false) async throws(RegistryError) -> RegistryMode {
        guard let subject else { return try await effectiveMode(subject: nil) }
        if let own = try await store.mode(subject: subject) { return own }
        if defaultToGlobal { return try await effectiveMode(subject: subject) }
        throw RegistryError(
            .subjectLevelModeNotConfigured,
            "Subject '\(subject)' does not have subject-level mode configured"
        )
    }

    /// Sets the mode of a subject, or the global one when `subject` is nil.
    ///
    /// - Throws: 42204 when IMPORT is asked for a registry (or subject) that already has schemas and `force` is false.
    public func setMode(_ mode: RegistryMode, subject: String?, force: Bool = false) async throws(RegistryError) {
        if mode == .import && !force {
            // Set on a context (`:.ctx:`), the mode covers the context's subjects.
            let existing: [String]
            if let subject, RegistrySettings.contextKey(of: subject) != subject {
                existing = try await store.versions(of: subject, includeDeleted: false).map(\.subject)
            } else {
                existing = try await store.subjects(includeDeleted: false).filter { $0.hasPrefix(subject ?? "") }
            }
            if !existing.isEmpty {
                throw RegistryError(.invalidMode, "Cannot import since found existing subjects")
            }
        }
        try await store.setMode(mode, subject: subject)
    }

    /// Removes a subject's own mode (or resets the global one) and returns the mode it had.
    public func deleteMode(subject: String?) async throws(RegistryError) -> RegistryMode {
        let previous = try await effectiveMode(subject: subject)
        try await store.setMode(nil, subject: subject)
        return previous
    }
}
