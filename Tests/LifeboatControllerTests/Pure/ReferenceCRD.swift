/// The BackupPolicy CRD that kube-apiserver v1.36 accepted when the k8s-wire samples were captured
/// (/work/shared/k8s-wire/00-crd.yaml), the structural reference for the generated CRD.
enum ReferenceCRD {
    static let yaml = #"""
# CRD used for every custom-resource sample in this directory (sent as JSON in 01).
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: backuppolicies.lifeboat.dev
spec:
  group: lifeboat.dev
  scope: Namespaced
  names:
    plural: backuppolicies
    singular: backuppolicy
    kind: BackupPolicy
    listKind: BackupPolicyList
    shortNames: [bp]
  versions:
  - name: v1alpha1
    served: true
    storage: true
    subresources:
      status: {}
    additionalPrinterColumns:
    - name: Schedule
      type: string
      jsonPath: .spec.schedule
    - name: Last Backup
      type: date
      jsonPath: .status.lastBackupTime
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [schedule]
            properties:
              schedule:
                type: string
                minLength: 1
              retention:
                type: object
                properties:
                  daily:
                    type: integer
                    minimum: 0
              suspend:
                type: boolean
                default: false
            x-kubernetes-validations:
            - rule: "!has(self.retention) || !has(self.retention.daily) || self.retention.daily <= 365"
              message: "retention.daily must be at most 365"
          status:
            type: object
            properties:
              phase:
                type: string
              lastBackupTime:
                type: string
                format: date-time
              observedGeneration:
                type: integer
                format: int64
              conditions:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [type]
                items:
                  type: object
                  required: [type, status]
                  properties:
                    type: {type: string}
                    status: {type: string}
                    reason: {type: string}
                    message: {type: string}
                    observedGeneration: {type: integer, format: int64}
                    lastTransitionTime: {type: string, format: date-time}
"""#
}
