// Key Vault (RBAC) for the app's secrets. The Function App reads them through Key Vault
// references in its app settings, with its user-assigned identity: no secret is a plain setting.
// Prod: no public network access; the app reaches it through a private endpoint in the VNet.
// Every access is audited in Log Analytics.
param name string
param location string
param tags object
param softDeleteDays int
param purgeProtection bool
@secure()
param databaseUrl string
@secure()
param jwtSecret string
@secure()
@description('The key ring that seals channel secrets: id:base64key[,…], newest first.')
param channelSecretKeys string
@secure()
@description('The key ring that seals customers\' names and phone numbers and draw seeds.')
param personalDataKeys string
@secure()
@description('The HMAC key ring that tags phone numbers (one entry per phone); not the sealing ring.')
param phoneHmacKeys string
@description('The Service Bus Send-only rule whose key the outbox relay signs with.')
param serviceBusSenderRuleId string
param privateNetworking bool
param endpointsSubnetId string = ''
param vaultZoneId string = ''
param workspaceId string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteDays
    enablePurgeProtection: purgeProtection ? true : null
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: {
      defaultAction: privateNetworking ? 'Deny' : 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource endpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = if (privateNetworking) {
  name: 'pe-${name}'
  location: location
  tags: tags
  properties: {
    subnet: {
      id: endpointsSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'vault'
        properties: {
          privateLinkServiceId: vault.id
          groupIds: ['vault']
        }
      }
    ]
  }
}

resource endpointDns 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = if (privateNetworking) {
  parent: endpoint
  name: 'vault'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'vault'
        properties: {
          privateDnsZoneId: vaultZoneId
        }
      }
    ]
  }
}

resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: vault
  name: 'audit'
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'database-url'
  properties: {
    value: databaseUrl
    contentType: 'postgres connection URL'
  }
}

resource jwtSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'jwt-secret'
  properties: {
    value: jwtSecret
    contentType: 'HS256 signing key'
  }
}

resource channelSecretKeysSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'channel-secret-keys'
  properties: {
    value: channelSecretKeys
    contentType: 'AES-256-GCM key ring'
  }
}

resource personalDataKeysSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'personal-data-keys'
  properties: {
    value: personalDataKeys
    contentType: 'AES-256-GCM key ring'
  }
}

resource phoneHmacKeysSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'phone-hmac-keys'
  properties: {
    value: phoneHmacKeys
    contentType: 'HMAC-SHA256 key ring'
  }
}

resource serviceBusKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'service-bus-send-key'
  properties: {
    value: listKeys(serviceBusSenderRuleId, '2022-10-01-preview').primaryKey
    contentType: 'Service Bus SAS key (Send only)'
  }
}

output name string = vault.name
// Unversioned URIs: a new secret version is picked up without redeploying the app.
output databaseUrlSecretUri string = databaseUrlSecret.properties.secretUri
output jwtSecretUri string = jwtSecretSecret.properties.secretUri
output serviceBusKeyUri string = serviceBusKey.properties.secretUri
output channelSecretKeysUri string = channelSecretKeysSecret.properties.secretUri
output personalDataKeysUri string = personalDataKeysSecret.properties.secretUri
output phoneHmacKeysUri string = phoneHmacKeysSecret.properties.secretUri
