Console.WriteLine("kanade");
