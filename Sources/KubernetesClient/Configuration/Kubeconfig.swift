import Foundation
import Yams

/// The parts of a kubeconfig file the client understands (clusters, users, contexts).
struct Kubeconfig: Decodable {
    var currentContext: String?
    var clusters: [Named<Cluster>]?
    var users: [Named<User>]?
    var contexts: [Named<Context>]?

    enum CodingKeys: String, CodingKey {
        case currentContext = "current-context"
        case clusters, users, contexts
    }

    struct Named<Value: Decodable>: Decodable {
        var name: String
        var value: Value?

        enum CodingKeys: String, CodingKey { case name, cluster, user, context }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            value = try container.decodeIfPresent(Value.self, forKey: .cluster)
                ?? container.decodeIfPresent(Value.self, forKey: .user)
                ?? container.decodeIfPresent(Value.self, forKey: .context)
        }
    }

    struct Cluster: Decodable {
        var server: String?
        var certificateAuthority: String?
        var certificateAuthorityData: String?
        var insecureSkipTLSVerify: Bool?

        enum CodingKeys: String, CodingKey {
            case server
            case certificateAuthority = "certificate-authority"
            case certificateAuthorityData = "certificate-authority-data"
            case insecureSkipTLSVerify = "insecure-skip-tls-verify"
        }
    }

    struct User: Decodable {
        var token: String?
        var tokenFile: String?
        var clientCertificate: String?
        var clientCertificateData: String?
        var clientKey: String?
        var clientKeyData: String?
        var username: String?
        var password: String?
        var exec: JSONLike?
        var authProvider: JSONLike?

        enum CodingKeys: String, CodingKey {
            case token, tokenFile, username, password, exec
            case clientCertificate = "client-certificate"
            case clientCertificateData = "client-certificate-data"
            case clientKey = "client-key"
            case clientKeyData = "client-key-data"
            case authProvider = "auth-provider"
        }
    }

    struct Context: Decodable {
        var cluster: String?
        var user: String?
        var namespace: String?
    }

    /// Presence marker for sections the client does not support (exec plugins, auth providers).
    struct JSONLike: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}

extension KubernetesClientConfiguration {
    /// The configuration of a kubeconfig file's current context, or of the named `context`.
    ///
    /// - Parameters:
    ///   - path: the file; nil means the first existing file of `KUBECONFIG` (colon-separated), else `~/.kube/config`.
    ///   - context: a context name; nil means `current-context`.
    ///   - environment: the process environment (injectable for tests).
    public static func kubeconfig(
        path: String? = nil,
        context: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(KubernetesConfigurationError) -> KubernetesClientConfiguration {
        let file: String
        if let path {
            file = path
        } else if let list = environment["KUBECONFIG"], !list.isEmpty {
            let candidates = list.split(separator: ":").map(String.init)
            guard let first = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw KubernetesConfigurationError("none of the kubeconfig files in KUBECONFIG exists: \(candidates.joined(separator: ", "))")
            }
            file = first
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            file = home + "/.kube/config"
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw KubernetesConfigurationError("kubeconfig \(file) does not exist or is unreadable")
        }
        let baseDirectory = (file as NSString).deletingLastPathComponent
        return try kubeconfig(yaml: String(decoding: data, as: UTF8.self), context: context, source: file, baseDirectory: baseDirectory)
    }

    /// The configuration of kubeconfig text. Relative file references resolve against `baseDirectory`.
    ///
    /// - Parameters:
    ///   - yaml: the kubeconfig document.
    ///   - context: a context name; nil means `current-context`.
    ///   - source: how errors name the document (usually its path).
    ///   - baseDirectory: the directory relative paths in the document are relative to.
    public static func kubeconfig(
        yaml: String,
        context: String? = nil,
        source: String = "kubeconfig",
        baseDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(KubernetesConfigurationError) -> KubernetesClientConfiguration {
        let config: Kubeconfig
        do {
            config = try YAMLDecoder().decode(Kubeconfig.self, from: yaml)
        } catch {
            throw KubernetesConfigurationError("kubeconfig \(source) is not a valid kubeconfig: \(error)")
        }
        guard let contextName = context ?? config.currentContext, !contextName.isEmpty else {
            throw KubernetesConfigurationError("kubeconfig \(source) has no current-context; name a context")
        }
        guard let namedContext = config.contexts?.first(where: { $0.name == contextName }), let ctx = namedContext.value else {
            let known = (config.contexts ?? []).map(\.name).joined(separator: ", ")
            throw KubernetesConfigurationError("kubeconfig \(source) has no context named \"\(contextName)\" (contexts: \(known.isEmpty ? "none" : known))")
        }
        guard let clusterName = ctx.cluster,
              let cluster = config.clusters?.first(where: { $0.name == clusterName })?.value else {
            throw KubernetesConfigurationError("kubeconfig \(source): context \"\(contextName)\" refers to cluster \"\(ctx.cluster ?? "")\", which is not defined")
        }
        guard let server = cluster.server, !server.isEmpty else {
            throw KubernetesConfigurationError("kubeconfig \(source): cluster \"\(clusterName)\" has no server")
        }
        var user = Kubeconfig.User()
        if let userName = ctx.user, !userName.isEmpty {
            guard let found = config.users?.first(where: { $0.name == userName }) else {
                throw KubernetesConfigurationError("kubeconfig \(source): context \"\(contextName)\" refers to user \"\(userName)\", which is not defined")
            }
            user = found.value ?? Kubeconfig.User()
        }
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") ? path : baseDirectory + "/" + path
        }
        func material(data: String?, file: String?, what: String) throws(KubernetesConfigurationError) -> Data? {
            if let data {
                guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
                    throw KubernetesConfigurationError("kubeconfig \(source): \(what)-data is not valid base64")
                }
                return decoded
            }
            if let file {
                let path = resolve(file)
                guard let contents = FileManager.default.contents(atPath: path) else {
                    throw KubernetesConfigurationError("kubeconfig \(source): \(what) file \(path) does not exist or is unreadable")
                }
                return contents
            }
            return nil
        }

        let tls = TLS(
            certificateAuthorityPEM: try material(data: cluster.certificateAuthorityData, file: cluster.certificateAuthority, what: "certificate-authority"),
            insecureSkipVerify: cluster.insecureSkipTLSVerify ?? false,
            clientCertificatePEM: try material(data: user.clientCertificateData, file: user.clientCertificate, what: "client-certificate"),
            clientKeyPEM: try material(data: user.clientKeyData, file: user.clientKey, what: "client-key")
        )
        if (tls.clientCertificatePEM == nil) != (tls.clientKeyPEM == nil) {
            throw KubernetesConfigurationError("kubeconfig \(source): user \"\(ctx.user ?? "")\" has a client certificate without a key or a key without a certificate")
        }

        let authentication: Authentication
        if let token = user.token, !token.isEmpty {
            authentication = .bearerToken(token)
        } else if let tokenFile = user.tokenFile, !tokenFile.isEmpty {
            authentication = .bearerTokenFile(path: resolve(tokenFile))
        } else if let username = user.username, let password = user.password {
            authentication = .basic(username: username, password: password)
        } else if tls.clientCertificatePEM == nil, user.exec != nil || user.authProvider != nil {
            throw KubernetesConfigurationError("kubeconfig \(source): user \"\(ctx.user ?? "")\" uses an exec or auth-provider plugin, which this client does not support; use a token, tokenFile or client certificate")
        } else {
            authentication = .none
        }
        return KubernetesClientConfiguration(
            server: server,
            tls: tls,
            authentication: authentication,
            namespace: ctx.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        )
    }
}
