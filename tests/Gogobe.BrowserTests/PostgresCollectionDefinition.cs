using Gogobe.TestSupport;

namespace Gogobe.BrowserTests;

[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollectionDefinition : ICollectionFixture<PostgresFixture>;
