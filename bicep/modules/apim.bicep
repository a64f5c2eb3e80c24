// API Management in front of the Function App: the API is imported from the committed OpenAPI
// document (openapi.json, kept identical to `event-marketing openapi` by a test), the backend is
// the Function App called with its host key, and one policy sets CORS for the web console, a
// request-size limit and, on the v2 tiers, a per-client rate limit.
param name string
param location string
param tags object
@allowed(['Consumption', 'BasicV2', 'StandardV2'])
param sku string
param capacity int
param publisherEmail string
param publisherName string
@secure()
param functionKey string
param functionAppHostName string
param consoleOrigins array
param rateLimitCallsPerMinute int
param maxRequestBodyBytes int
param workspaceId string

resource service 'Microsoft.ApiManagement/service@2023-09-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    capacity: sku == 'Consumption' ? 0 : capacity
  }
  properties: {
    publisherEmail: publisherEmail
    publisherName: publisherName
  }
}

// The host key exists only once code runs on the Function App, so it is not read here
// (listKeys before the first code deployment fails): infra/deploy sets it after deploying code.
resource functionKeyValue 'Microsoft.ApiManagement/service/namedValues@2023-09-01-preview' = {
  parent: service
  name: 'function-key'
  properties: {
    displayName: 'function-key'
    secret: true
    value: empty(functionKey) ? 'set-by-infra-deploy-after-the-first-code-deployment' : functionKey
  }
}

resource backend 'Microsoft.ApiManagement/service/backends@2023-09-01-preview' = {
  parent: service
  name: 'event-marketing-functions'
  dependsOn: [functionKeyValue]
  properties: {
    url: 'https://${functionAppHostName}'
    protocol: 'http'
    credentials: {
      header: {
        'x-functions-key': ['{{function-key}}']
      }
    }
  }
}

resource api 'Microsoft.ApiManagement/service/apis@2023-09-01-preview' = {
  parent: service
  name: 'event-marketing'
  properties: {
    displayName: 'Event Marketing API'
    // The document's paths already start with /api, so the API sits at the gateway's root.
    path: ''
    protocols: ['https']
    subscriptionRequired: false
    format: 'openapi+json'
    value: loadTextContent('../../openapi.json')
  }
}

var origins = join(map(consoleOrigins, o => '<origin>${o}</origin>'), '')
// rate-limit-by-key is not available on the Consumption tier.
var rateLimit = sku == 'Consumption'
  ? ''
  : '<rate-limit-by-key calls="${rateLimitCallsPerMinute}" renewal-period="60" counter-key="@(context.Request.IpAddress)" />'
var policyXml = replace(
  replace(
    replace(loadTextContent('apim-policy.xml'), '__ORIGINS__', origins),
    '__RATE_LIMIT__',
    rateLimit
  ),
  '__MAX_BODY_BYTES__',
  string(maxRequestBodyBytes)
)

resource policy 'Microsoft.ApiManagement/service/apis/policies@2023-09-01-preview' = {
  parent: api
  name: 'policy'
  dependsOn: [backend]
  properties: {
    format: 'rawxml'
    value: policyXml
  }
}

// The customers' event page is served from the gateway's cache for its ten-second life
// (apim-page-cache.xml); the operation comes from the imported OpenAPI document.
resource pageOperation 'Microsoft.ApiManagement/service/apis/operations@2023-09-01-preview' existing = {
  parent: api
  name: 'page-event'
}

resource pageCache 'Microsoft.ApiManagement/service/apis/operations/policies@2023-09-01-preview' = {
  parent: pageOperation
  name: 'policy'
  dependsOn: [policy]
  properties: {
    format: 'rawxml'
    value: loadTextContent('apim-page-cache.xml')
  }
}

// Gateway requests (who called what, from where, with which status) go to Log Analytics.
resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: service
  name: 'audit'
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'GatewayLogs'
        enabled: true
      }
    ]
  }
}

output gatewayUrl string = service.properties.gatewayUrl
output name string = service.name
