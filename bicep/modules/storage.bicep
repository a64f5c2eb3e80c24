// Two storage accounts:
// - host: the Functions runtime's own storage (timer locks, keys) and the Flex deployment
//   container; private, identity-only.
// - images: promotional images. Instagram and the other channels fetch images by a public URL, so
//   the `images` container allows anonymous *read of a blob by its URL* (no listing); writes need
//   the app's identity. Keeping it a separate account keeps the host account fully private.
param hostAccountName string
param imagesAccountName string
param location string
param tags object
param sku string

resource hostAccount 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: hostAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: sku
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource hostBlobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: hostAccount
  name: 'default'
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: hostBlobs
  name: 'deployments'
  properties: {
    publicAccess: 'None'
  }
}

// Promotional images: the image worker writes them (IMAGES_CONTAINER_URL), channels read them.
resource imagesAccount 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: imagesAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: sku
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: true
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource imagesBlobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: imagesAccount
  name: 'default'
}

resource images 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: imagesBlobs
  name: 'images'
  properties: {
    publicAccess: 'Blob'
  }
}

output hostAccountName string = hostAccount.name
output imagesAccountName string = imagesAccount.name
output deploymentContainerUrl string = '${hostAccount.properties.primaryEndpoints.blob}deployments'
output imagesBaseUrl string = '${imagesAccount.properties.primaryEndpoints.blob}images'
