// The private network of prod: the Function App's outbound traffic enters it (VNet
// integration), PostgreSQL lives in it (private access, no public endpoint), Key Vault is
// reached through a private endpoint, and the deployment script that creates the app's database
// role runs in it. Dev has no network (public endpoints, narrowly used; docs/deploy.md).
param baseName string
param location string
param tags object

var addressSpace = '10.40.0.0/16'

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: 'vnet-${baseName}'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [addressSpace]
    }
    subnets: [
      {
        // Flex Consumption VNet integration.
        name: 'functions'
        properties: {
          addressPrefix: '10.40.1.0/24'
          delegations: [
            {
              name: 'flex'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        // PostgreSQL Flexible Server, private access.
        name: 'postgres'
        properties: {
          addressPrefix: '10.40.2.0/24'
          delegations: [
            {
              name: 'postgres'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
      {
        // Private endpoints (Key Vault).
        name: 'endpoints'
        properties: {
          addressPrefix: '10.40.3.0/24'
        }
      }
      {
        // The deployment script's container (the app's database role).
        name: 'scripts'
        properties: {
          addressPrefix: '10.40.4.0/24'
          serviceEndpoints: [
            {
              service: 'Microsoft.Storage'
            }
          ]
          delegations: [
            {
              name: 'aci'
              properties: {
                serviceName: 'Microsoft.ContainerInstance/containerGroups'
              }
            }
          ]
        }
      }
    ]
  }
}

resource postgresZone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: 'private.postgres.database.azure.com'
  location: 'global'
  tags: tags
}

resource vaultZone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: 'privatelink.vaultcore.azure.net'
  location: 'global'
  tags: tags
}

resource postgresZoneLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: postgresZone
  name: 'vnet'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

resource vaultZoneLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: vaultZone
  name: 'vnet'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

output functionsSubnetId string = '${vnet.id}/subnets/functions'
output postgresSubnetId string = '${vnet.id}/subnets/postgres'
output endpointsSubnetId string = '${vnet.id}/subnets/endpoints'
output scriptsSubnetId string = '${vnet.id}/subnets/scripts'
output postgresZoneId string = postgresZone.id
output vaultZoneId string = vaultZone.id
