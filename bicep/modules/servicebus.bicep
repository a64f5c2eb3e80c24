// Service Bus (docs/architecture.md, "Messages"): three job queues and the domain-event topic.
// Standard tier (topics need it). Every entity states its delivery rules explicitly:
// - lockDuration PT5M: an AI job may take up to 5 minutes; the host renews the lock meanwhile.
// - maxDeliveryCount 10: then the message is dead-lettered and the job is marked FAILED.
// - duplicate detection over 10 minutes: the outbox relay may send a row twice; MessageId is the
//   outbox id, so Service Bus drops the copy (consumers are idempotent anyway).
// The triggers use the managed identity. The outbox relay's sender crate signs with SAS only, so
// local auth stays on for one Send-only rule, whose key is kept in Key Vault.
param name string
param location string
param tags object

var queueProperties = {
  lockDuration: 'PT5M'
  maxDeliveryCount: 10
  requiresDuplicateDetection: true
  duplicateDetectionHistoryTimeWindow: 'PT10M'
  deadLetteringOnMessageExpiration: true
  defaultMessageTimeToLive: 'P7D'
  enablePartitioning: false
}

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    minimumTlsVersion: '1.2'
    disableLocalAuth: false
  }
}

// Consumed by the ai-recommendation-worker function.
resource aiRecommendationJobs 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: 'ai-recommendation-jobs'
  properties: queueProperties
}

// Consumed by the image-generation-worker function.
resource imageGenerationJobs 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: 'image-generation-jobs'
  properties: queueProperties
}

// Consumed by the distribution-worker function (publishing to the channels).
resource distributionJobs 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = {
  parent: namespace
  name: 'distribution-jobs'
  properties: queueProperties
}

// Domain events (EventPublished, DistributionCompleted, …): the outbox relay publishes them.
resource domainEvents 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = {
  parent: namespace
  name: 'event-domain-events'
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    defaultMessageTimeToLive: 'P7D'
    enablePartitioning: false
  }
}

// Read by the analytics-worker function (the dashboard's read model).
resource analytics 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = {
  parent: domainEvents
  name: 'analytics'
  properties: {
    lockDuration: 'PT1M'
    maxDeliveryCount: 10
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P7D'
  }
}

// The outbox relay publishes with this rule (Send only: it cannot read or manage anything).
resource appSender 'Microsoft.ServiceBus/namespaces/authorizationRules@2022-10-01-preview' = {
  parent: namespace
  name: 'app-sender'
  properties: {
    rights: ['Send']
  }
}

output name string = namespace.name
output senderRuleId string = appSender.id
output senderRuleName string = appSender.name
output fqdn string = '${namespace.name}.servicebus.windows.net'
