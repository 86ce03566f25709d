using Gogobe.TestSupport;

namespace Gogobe.Storage.Tests;

/// <summary>xunit needs the collection definition in the test assembly itself; the fixture lives in Gogobe.TestSupport.</summary>
[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollectionDefinition : ICollectionFixture<PostgresFixture>;
