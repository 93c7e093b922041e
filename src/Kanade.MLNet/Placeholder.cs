namespace Kanade.MLNet;
/// <summary>x</summary>
public static class Placeholder { }
