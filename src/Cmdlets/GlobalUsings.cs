// The namespaces the cmdlets are written against: PowerShell's, and the engine's parts they bind to (configuration,
// credentials, environment, HTTP, indexes, projects, search, security, session, versions). Rarer ones stay in their file.
global using System.Management.Automation;
global using IndexTools.Engine;
global using IndexTools.Engine.Config;
global using IndexTools.Engine.Credentials;
global using IndexTools.Engine.Environment;
global using IndexTools.Engine.Http;
global using IndexTools.Engine.Indexes;
global using IndexTools.Engine.Projects;
global using IndexTools.Engine.Search;
global using IndexTools.Engine.Security;
global using IndexTools.Engine.Session;
global using IndexTools.Engine.Versions;
