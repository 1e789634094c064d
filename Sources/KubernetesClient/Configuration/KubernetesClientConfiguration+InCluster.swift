import Foundation

extension KubernetesClientConfiguration {
    /// Paths of the in-cluster ServiceAccount mount.
    public enum InCluster {
        /// Where the kubelet mounts the ServiceAccount token, CA bundle and namespace.
        public static let defaultDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"
    }

    /// The configuration of a process running in a pod: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`,
    /// the mounted CA bundle, the namespace file, and the token file (re-read when the kubelet rotates it).
    ///
    /// - Parameters:
    ///   - environment: the process environment (injectable for tests).
    ///   - serviceAccountDirectory: the mount holding `token`, `ca.crt` and `namespace`.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountDirectory: String = InCluster.defaultDirectory
    ) throws(KubernetesConfigurationError) -> KubernetesClientConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw KubernetesConfigurationError("not running in a cluster: KUBERNETES_SERVICE_HOST is not set (use a kubeconfig outside a pod)")
        }
        guard let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty, Int(port) != nil else {
            throw KubernetesConfigurationError("KUBERNETES_SERVICE_PORT is missing or not a number (KUBERNETES_SERVICE_HOST is \(host))")
        }
        let tokenPath = serviceAccountDirectory + "/token"
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubernetesConfigurationError("in-cluster ServiceAccount token \(tokenPath) is missing or unreadable; is automountServiceAccountToken false?")
        }
        let caPath = serviceAccountDirectory + "/ca.crt"
        let ca = FileManager.default.contents(atPath: caPath)
        if ca == nil {
            throw KubernetesConfigurationError("in-cluster CA bundle \(caPath) is missing or unreadable")
        }
        let namespace = FileManager.default.contents(atPath: serviceAccountDirectory + "/namespace")
            .flatMap { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        // An IPv6 service address needs brackets in a URL.
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return KubernetesClientConfiguration(
            server: "https://\(hostPart):\(port)",
            tls: TLS(certificateAuthorityPEM: ca),
            authentication: .bearerTokenFile(path: tokenPath),
            namespace: namespace
        )
    }
}
