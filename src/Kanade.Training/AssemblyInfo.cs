// Lets the tests check the small encoders (CRCs, PNG) directly.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Kanade.Training.Tests")]
