using Microsoft.VisualStudio.TestTools.UnitTesting;

// libtorch already uses both cores inside each op; running tests side by side would only contend.
[assembly: DoNotParallelize]
